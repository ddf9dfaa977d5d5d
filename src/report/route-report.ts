import { App } from 'cdk8s';
import { operatorObjects, operatorRouteMatches } from '../seldon/operator';

/** One row of a route report: one destination (or mirror) of one route. */
export interface RouteReportRow {
  /** `<namespace>/<name>` of the VirtualService, or `<namespace>/<sdep> (Seldon operator)`. */
  readonly source: string;
  /** Gateways the route is bound to. */
  readonly gateways: string[];
  /** Hosts the route applies to. */
  readonly hosts: string[];
  /** Name of the route (or its position, `#<n>`). */
  readonly route: string;
  /** The route's match conditions in words (`*` for every request). */
  readonly match: string;
  /** `<host>[/<subset>][:<port>]`. */
  readonly destination: string;
  /**
   * Percentage of the route's requests sent there.
   * @default undefined: the row is a mirror
   */
  readonly weight?: number;
  /**
   * Percentage of the route's requests copied there.
   * @default undefined: the row is a live destination
   */
  readonly mirrorPercentage?: number;
}


/**
 * A human-readable report of every HTTP route in a set of manifests: the VirtualServices
 * (ours or hand-written), and the routes the Seldon operator will write for
 * SeldonDeployments that no VirtualService of the set routes to. As a Markdown table and a
 * Mermaid flowchart, to paste into a pull request.
 */
export class RouteReport {
  /** A report of the manifests an app synthesizes (validations included). */
  public static fromApp(app: App): RouteReport {
    return RouteReport.fromManifests(app.charts.flatMap(chart => chart.toJson()));
  }

  /** A report of parsed manifests (e.g. every document of the YAML files in `dist/`). */
  public static fromManifests(manifests: any[]): RouteReport {
    const objects = manifests.filter(m => m && typeof m === 'object');
    const virtualServices = objects.filter(m => m.kind === 'VirtualService' && String(m.apiVersion).startsWith('networking.istio.io/'));
    const rows = virtualServices.flatMap(vs => vsRows(vs));
    const routedHosts = new Set(rows.map(r => r.destination.split(/[/:]/)[0]));
    const seldon = objects.filter(m => m.kind === 'SeldonDeployment' && String(m.apiVersion).startsWith('machinelearning.seldon.io/'));
    for (const sdep of seldon) {
      const implied = seldonRows(sdep);
      // An SeldonDeployment whose predictors our VirtualServices already route to is not routed by the operator.
      if (!implied.some(r => routedHosts.has(r.destination.split(/[/:]/)[0]))) rows.push(...implied);
    }
    return new RouteReport(rows);
  }

  private constructor(
    /** The rows, in manifest and route order. */
    public readonly rows: RouteReportRow[],
  ) {}

  /** A Markdown table: gateway/host → match → destination, weight, mirror %. */
  public toMarkdown(): string {
    const header = '| Routes | Gateways | Hosts | Route | Match | Destination | Weight | Mirror |\n|---|---|---|---|---|---|---|---|';
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    const lines = this.rows.map(r => `| ${[
      r.source, r.gateways.join(', '), r.hosts.join(', '), r.route, r.match, r.destination,
      r.weight === undefined ? '' : `${r.weight}%`,
      r.mirrorPercentage === undefined ? '' : `${r.mirrorPercentage}%`,
    ].map(cell).join(' | ')} |`);
    return [header, ...lines].join('\n') + '\n';
  }

  /** A Mermaid flowchart: entry (gateways and hosts) → route (match) → destinations, mirrors dotted. */
  public toMermaid(): string {
    const lines = ['flowchart LR'];
    const ids = new Map<string, string>();
    const node = (prefix: string, key: string, label: string, shape: [string, string]) => {
      if (!ids.has(`${prefix}:${key}`)) {
        const id = `${prefix}${ids.size}`;
        ids.set(`${prefix}:${key}`, id);
        lines.push(`  ${id}${shape[0]}"${label.replace(/"/g, '#quot;')}"${shape[1]}`);
      }
      return ids.get(`${prefix}:${key}`)!;
    };
    for (const r of this.rows) {
      const entry = node('e', `${r.source}`, `${r.gateways.join(', ')}<br/>${r.hosts.join(', ')}`, ['([', '])']);
      const route = node('r', `${r.source}#${r.route}`, `${r.route}<br/>${r.match}`, ['[', ']']);
      const dest = node('d', r.destination, r.destination, ['[(', ')]']);
      if (!ids.has(`edge:${entry}-${route}`)) {
        ids.set(`edge:${entry}-${route}`, '');
        lines.push(`  ${entry} --> ${route}`);
      }
      lines.push(r.mirrorPercentage === undefined
        ? `  ${route} -->|${r.weight ?? 100}%| ${dest}`
        : `  ${route} -.->|mirror ${r.mirrorPercentage}%| ${dest}`);
    }
    return lines.join('\n') + '\n';
  }

  /** Markdown with both the table and the flowchart. */
  public toDocument(title: string): string {
    return `# ${title}\n\n${this.toMarkdown()}\n\`\`\`mermaid\n${this.toMermaid()}\`\`\`\n`;
  }
}

function describeStringMatch(what: string, m: any): string {
  const [kind, value] = Object.entries(m ?? {})[0] ?? ['any', ''];
  return `${what} ${kind} ${value}`;
}

function describeMatch(match: any): string {
  const parts: string[] = [];
  if (match.uri) parts.push(describeStringMatch('uri', match.uri));
  if (match.authority) parts.push(describeStringMatch('authority', match.authority));
  for (const [name, m] of Object.entries(match.headers ?? {})) parts.push(describeStringMatch(`header ${name}`, m));
  for (const [k, v] of Object.entries(match.sourceLabels ?? {})) parts.push(`caller ${k}=${v}`);
  return parts.length > 0 ? parts.join(' and ') : '*';
}

function describeDestination(d: any): string {
  return `${d.host}${d.subset ? `/${d.subset}` : ''}${d.port?.number ? `:${d.port.number}` : ''}`;
}

function vsRows(vs: any, source = `${vs.metadata?.namespace ?? 'default'}/${vs.metadata?.name}`, routeNames: string[] = []): RouteReportRow[] {
  const spec = vs.spec ?? {};
  const gateways = spec.gateways ?? ['mesh'];
  const hosts = spec.hosts ?? [];
  return (spec.http ?? []).flatMap((route: any, index: number) => {
    const common = {
      source,
      gateways,
      hosts,
      route: route.name ?? routeNames[index] ?? `#${index}`,
      match: (route.match ?? []).map(describeMatch).join(' or ') || '*',
    };
    const live = (route.route ?? []).map((r: any, _: number, all: any[]): RouteReportRow => ({
      // A lone destination takes every request whatever its weight (Istio's processDestination).
      ...common, destination: describeDestination(r.destination), weight: all.length === 1 ? 100 : (r.weight ?? 0),
    }));
    const mirrors: any[] = route.mirror
      ? [{ destination: route.mirror, percentage: route.mirrorPercentage?.value ?? 100 }]
      : (route.mirrors ?? []).map((m: any) => ({ destination: m.destination, percentage: m.percentage?.value ?? 100 }));
    const mirrorRows = mirrors.map((m): RouteReportRow => ({
      ...common, destination: describeDestination(m.destination), mirrorPercentage: m.percentage,
    }));
    return [...live, ...mirrorRows];
  });
}

/** The routes the Seldon operator writes for a SeldonDeployment, from the one model of the operator. */
function seldonRows(sdep: any): RouteReportRow[] {
  const { virtualService, namespace, name } = operatorObjects(sdep);
  const routeNames = operatorRouteMatches(namespace, name).map(r => r.route);
  return vsRows(virtualService, `${namespace}/${name} (Seldon operator)`, routeNames);
}
