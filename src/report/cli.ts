#!/usr/bin/env node
/**
 * `cdk8s-seldon-istio-routes`: what the manifests in `dist/` route where.
 *
 *   cdk8s-seldon-istio-routes [report] [--out FILE] <file.yaml | dir>...
 *       the route report (Markdown table and Mermaid flowchart) of every VirtualService and
 *       SeldonDeployment in the files;
 *   cdk8s-seldon-istio-routes explain <file.yaml | dir>... --host H [--path P] [-H 'name: value']...
 *       where one request goes, through the route simulator, as a table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { Command, InvalidArgumentError } from 'commander';
import { RouteReport } from './route-report';
import { RouteSimulator, SimulatedDestination, SimulationResult } from './route-simulator';
import { SELDON_DEFAULT_GATEWAY } from '../seldon/operator';

function yamlFiles(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs.readdirSync(target).sort()
    .filter(f => /\.ya?ml$/.test(f))
    .map(f => path.join(target, f));
}

function load(targets: string[]): any[] {
  return targets.flatMap(yamlFiles).flatMap(file => Yaml.load(path.resolve(file)));
}

function header(value: string, previous: Record<string, string>): Record<string, string> {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new InvalidArgumentError(`expected 'name: value', got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, colon).trim().toLowerCase()]: value.slice(colon + 1).trim() };
}

function label(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected 'key=value', got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`not a port: ${value}`);
  return n;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n') + '\n';
}

function percent(p: number): string {
  return `${Number((p * 100).toFixed(4))} %`;
}

function destinationRows(kind: string, ds: SimulatedDestination[]): string[][] {
  return ds.map(d => [
    kind,
    `${d.host}${d.port ? `:${d.port}` : ''}`,
    d.subset ?? '',
    percent(d.probability),
    d.failure ? `503: ${d.failure}` : d.workloads.map(w => `${w.name} {${Object.entries(w.podLabels).map(([k, v]) => `${k}=${v}`).join(', ')}}`).join('; '),
  ]);
}

/** The outcome of one simulated request, as text. */
export function explainText(result: SimulationResult): string {
  const lines = [`${result.outcome}${result.status ? ` (${result.status})` : ''}: ${result.reason}`];
  if (result.path !== undefined) lines.push(`path sent: ${result.path}${result.authority ? `, authority ${result.authority}` : ''}`);
  if (result.retries) {
    const r = result.retries;
    lines.push(`retries: ${r.attempts}${r.perTryTimeout ? ` × ${r.perTryTimeout}` : ''}${r.retryOn ? ` on ${r.retryOn}` : ''}${r.meshDefault ? ' (Istio\'s default: the route sets none)' : ''}`);
  }
  lines.push(`timeout: ${result.timeout ?? 'none'}`);
  for (const note of result.notes) lines.push(`note: ${note}`);
  const rows = [...destinationRows('route', result.destinations), ...destinationRows('mirror', result.mirrors)];
  const text = lines.join('\n') + '\n';
  return rows.length === 0 ? text : `${text}\n${table([['', 'destination', 'subset', 'share', 'pods'], ...rows])}`;
}

function program(): Command {
  const cli = new Command('cdk8s-seldon-istio-routes')
    .description('What the synthesized manifests route where: a route report, or where one request goes')
    .exitOverride();

  cli.command('report', { isDefault: true })
    .description('Markdown table and Mermaid flowchart of every route (VirtualServices, and the Seldon operator\'s for SeldonDeployments)')
    .argument('<targets...>', 'YAML files, or directories of them (e.g. dist/)')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .action((targets: string[], opts: { out?: string }) => {
      const report = RouteReport.fromManifests(load(targets)).toDocument(`Routes of ${targets.join(', ')}`);
      if (opts.out) fs.writeFileSync(opts.out, report);
      else process.stdout.write(report);
    });

  cli.command('explain')
    .description('Where one request goes: destinations with their shares, mirrors, the rewritten path, retries and timeout, or why it gets a 404 or 503')
    .argument('<targets...>', 'YAML files, or directories of them (e.g. dist/)')
    .requiredOption('--host <host>', 'the Host header, e.g. models.example.com')
    .option('--path <path>', 'the request path', '/')
    .option('-X, --method <method>', 'the HTTP method', 'POST')
    .option('-H, --header <header>', "a request header, 'name: value' (repeatable)", header, {})
    .option('--gateway <gateway>', "where the request enters: '<namespace>/<name>' of a gateway, or 'mesh' (default: the one Gateway of the manifests, else istio-system/seldon-gateway)")
    .option('--port <port>', 'the port it arrives on (default: the port in --host, else 80)', port)
    .option('--source-namespace <namespace>', 'namespace of the calling pod (mesh)')
    .option('--source-label <label>', "a label of the calling pod, 'key=value' (repeatable, mesh)", label, {})
    .option('--seldon-istio-off', 'the Seldon operator runs with istio.enabled=false: it writes no VirtualService')
    .action((targets: string[], opts: any) => {
      const manifests = load(targets);
      const gateways = manifests.filter(m => m?.kind === 'Gateway').map(m => `${m.metadata?.namespace ?? 'default'}/${m.metadata?.name}`);
      const result = RouteSimulator.fromManifests(manifests, { seldonOperatorIstio: !opts.seldonIstioOff }).simulate({
        gateway: opts.gateway ?? (gateways.length === 1 ? gateways[0] : SELDON_DEFAULT_GATEWAY),
        host: opts.host,
        port: opts.port,
        method: opts.method,
        path: opts.path,
        headers: opts.header,
        sourceNamespace: opts.sourceNamespace,
        sourceLabels: Object.keys(opts.sourceLabel).length > 0 ? opts.sourceLabel : undefined,
      });
      process.stdout.write(explainText(result));
    });
  return cli;
}

/** Runs the command line; returns the exit code. */
export function main(argv: string[]): number {
  try {
    program().parse(argv, { from: 'user' });
    return 0;
  } catch (e: any) {
    // commander has printed the message; --help and --version end here too.
    if (e?.code === 'commander.helpDisplayed' || e?.code === 'commander.version') return 0;
    if (typeof e?.exitCode === 'number') return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
