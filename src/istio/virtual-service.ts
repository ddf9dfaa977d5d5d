import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { gatewayRefView, IGateway, isMeshGateway } from './gateway';
import { durationToIstio, HttpMatch, matchToSpec, RetryPolicy, SELDON_RETRY_ON } from './route-types';
import { generationCounterOf } from '../core/app-generation';
import { DeferredSpec, instanceofByPrototype, istioObjectProps } from '../core/library-object';
import { Problems, registerValidation, show } from '../core/validation';
import { toJson_VirtualServiceSpec, VirtualServiceSpec, VirtualServiceSpecHttp } from '../imports/networking.istio.io';
import { matchKey, registerResource, resourceChanged } from '../rules/analyzers';
import { IST0130_CATCH_ALL, IST0131_REPEATED_MATCH, ISV_DUPLICATE_HOSTS, ISV_DURATION, ISV_GATEWAY_REF, ISV_HOST, ISV_MESH_WILDCARD, ISV_MIRROR_PERCENTAGE, ISV_PORT, ISV_REQUIRED, ISV_SOURCE_LABELS, ISV_SUBSET_NAME, ISV_WEIGHT, POL_HEADER_NAME, POL_SHAPE, POL_UNIQUE_NAMES, POL_WEIGHT_SUM, retryProblems } from '../rules/catalogue';

/** Where a route sends (part of) its traffic. */
export interface RouteDestination {
  /** Host of the destination, e.g. `iris-main.models.svc.cluster.local`. */
  readonly host: string;

  /**
   * Subset of the host (defined in a DestinationRule for that host).
   * @default every endpoint of the host
   */
  readonly subset?: string;

  /**
   * Port of the host.
   * @default the host's only port
   */
  readonly port?: number;

  /**
   * Percentage of the route's traffic, an integer 0-100; the weights of a route sum to 100.
   * @default 100 for a lone destination
   */
  readonly weight?: number;

  /**
   * Response headers to set when this destination answered (e.g. a `set-cookie` that keeps
   * the user on this destination).
   * @default none
   */
  readonly responseHeaders?: { [name: string]: string };

  /**
   * Response headers to append when this destination answered, beside those the backend sent
   * (`headers.response.add`). Use it for `set-cookie`: `responseHeaders` would replace every
   * cookie the model or the Seldon engine sets.
   * @default none
   */
  readonly addedResponseHeaders?: { [name: string]: string };
}

/** A copy of a route's traffic sent to another destination, whose responses are dropped. */
export interface RouteMirror {
  /** Host that receives the copy. */
  readonly host: string;

  /**
   * Subset of the host.
   * @default every endpoint of the host
   */
  readonly subset?: string;

  /**
   * Port of the host.
   * @default the host's only port
   */
  readonly port?: number;

  /** Percentage of the requests mirrored, 0-100. */
  readonly percentage: number;
}

/** One HTTP route of a VirtualService. */
export interface HttpRoute {
  /** Name of the route, unique in its VirtualService (shown in Envoy's stats and logs). */
  readonly name: string;

  /**
   * Conditions (any of them) under which the route applies.
   * @default none: the route matches every request and must be the last route
   */
  readonly matches?: HttpMatch[];

  /** Destinations with their weights. */
  readonly destinations: RouteDestination[];

  /**
   * Mirrors of the traffic (one is written as `mirror`, several as `mirrors`).
   * @default none
   */
  readonly mirrors?: RouteMirror[];

  /**
   * Retries.
   * @default Istio's default retry policy
   */
  readonly retries?: RetryPolicy;

  /**
   * Timeout of the whole request, retries included.
   * @default none
   */
  readonly timeout?: Duration;

  /**
   * Replace the matched URI prefix with this value (e.g. `/`).
   * @default no rewrite
   */
  readonly rewriteUri?: string;
}

/** Props of a `VirtualService`. */
export interface VirtualServiceProps {
  /** Hosts the routes apply to (`*` only when not bound to the `mesh` gateway). */
  readonly hosts: string[];

  /**
   * Gateways the routes are bound to.
   * @default none: Istio binds the routes to the mesh
   */
  readonly gateways?: IGateway[];

  /**
   * Routes, in order: the first that matches a request applies. More can be added with `addRoute`.
   * @default none
   */
  readonly routes?: HttpRoute[];

  /**
   * Name of the VirtualService.
   * @default a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of the VirtualService.
   * @default the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels of the VirtualService object.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * An Istio `VirtualService` with typed HTTP routes: matches, weighted destinations,
 * mirrors, retries, timeouts, rewrites and response headers.
 *
 * Routes are rendered at synth time, so routes added with `addRoute` after construction
 * land in the manifest. The construct is the Kubernetes object itself (an `ApiObject`):
 * `addJsonPatch` and `metadata` work on it directly.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends ApiObject {
  /** Hosts the routes apply to. */
  public readonly hosts: string[];
  /** Gateways the routes are bound to. */
  public readonly gateways: IGateway[];

  private readonly routeList: HttpRoute[];
  private readonly generation: { readonly value: number };
  private matchKeys?: { readonly generation: number; readonly keys: string[][] };

  constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    const spec = new DeferredSpec();
    super(scope, id, istioObjectProps(scope, 'networking', 'VirtualService', props, spec));
    this.hosts = [...props.hosts];
    this.gateways = [...(props.gateways ?? [])];
    this.routeList = [...(props.routes ?? [])];
    this.generation = generationCounterOf(this);
    const assertValid = registerValidation(this, () => this.problems());
    registerResource(this, () => ({
      kind: 'VirtualService',
      namespace: this.metadata.namespace ?? 'default',
      name: this.name,
      hosts: this.hosts,
      gateways: this.gateways.map(gatewayRefView),
      routes: this.routeList.map((route, index) => ({
        name: route.name,
        matchKeys: this.routeMatchKeys()[index],
        destinations: [...route.destinations, ...(route.mirrors ?? [])].map(d => ({ host: d.host, subset: d.subset })),
      })),
    }));
    spec.bind(assertValid, () => toJson_VirtualServiceSpec(this.toSpec()));
  }

  /** Appends a route (after the ones already there). */
  public addRoute(route: HttpRoute): void {
    this.routeList.push(route);
    resourceChanged(this);
  }

  /** The routes, in order. */
  public get routes(): HttpRoute[] {
    return [...this.routeList];
  }

  /**
   * The canonical keys of each route's matches, computed once per app generation: the
   * cross-resource rules and the repeated-match check both read them (`addRoute` moves the generation).
   */
  private routeMatchKeys(): string[][] {
    if (this.matchKeys?.generation !== this.generation.value) {
      this.matchKeys = { generation: this.generation.value, keys: this.routeList.map(routeMatchKeys) };
    }
    return this.matchKeys.keys;
  }

  private problems(): string[] {
    const problems = new Problems();
    problems.check(ISV_REQUIRED, this.hosts.length > 0, 'hosts is empty: list the hosts the routes apply to');
    for (const host of this.hosts) problems.add(ISV_HOST.check('host', host, false));
    problems.add(ISV_DUPLICATE_HOSTS.check('hosts', this.hosts));
    for (const gateway of this.gateways) problems.add(ISV_GATEWAY_REF.check('gateway', gateway.gatewayRef));
    const meshBound = this.gateways.length === 0 || this.gateways.some(isMeshGateway);
    problems.check(ISV_MESH_WILDCARD, !(meshBound && this.hosts.includes('*')),
      "host '*' is not allowed for a VirtualService bound to the 'mesh' gateway: name the Service host(s)");
    const onlyMesh = this.gateways.length === 0 || this.gateways.every(isMeshGateway);
    problems.check(ISV_REQUIRED, this.routeList.length > 0, 'has no routes: add one with the routes prop or addRoute()');

    const names = new Set<string>();
    const matchedBefore = new Map<string, string>();
    this.routeList.forEach((route, index) => {
      const where = `route ${show(route.name)}`;
      problems.check(POL_UNIQUE_NAMES, route.name.length > 0, `route #${index} has no name: name every route`);
      problems.check(POL_UNIQUE_NAMES, !names.has(route.name), `${where} is defined twice: give each route its own name`);
      names.add(route.name);
      const catchAll = !route.matches || route.matches.length === 0;
      problems.check(IST0130_CATCH_ALL, !catchAll || index === this.routeList.length - 1,
        () => `${where} matches every request but is not the last route, so the routes after it never apply: move it last or give it a match`);
      for (const key of catchAll ? [] : this.routeMatchKeys()[index]) {
        const earlier = matchedBefore.get(key);
        problems.check(IST0131_REPEATED_MATCH, earlier === undefined,
          () => `${where} repeats a match of route ${show(earlier)}, which takes those requests first, so it never applies: remove it or make its match differ`);
        if (earlier === undefined) matchedBefore.set(key, route.name);
      }
      for (const match of route.matches ?? []) {
        for (const header of Object.keys(match.headers ?? {})) problems.add(POL_HEADER_NAME.check(where, header));
        problems.check(ISV_SOURCE_LABELS, !match.sourceLabels || onlyMesh,
          `${where}: sourceLabels match the calling workload and only work for routes bound to the 'mesh' gateway alone`);
      }
      problems.addAll(this.destinationProblems(where, route));
      if (route.retries) problems.addAll(retryProblems(where, route.retries));
      if (route.timeout) problems.add(ISV_DURATION.check(`${where}: timeout`, route.timeout));
      problems.check(POL_SHAPE, route.rewriteUri === undefined || route.rewriteUri.length > 0, `${where}: rewriteUri is empty: use '/' to strip the matched prefix`);
    });
    return problems.all;
  }

  private destinationProblems(where: string, route: HttpRoute): string[] {
    const problems = new Problems();
    const destinations = route.destinations;
    problems.check(ISV_REQUIRED, destinations.length > 0, `${where} has no destination: add at least one`);
    for (const d of [...destinations, ...(route.mirrors ?? [])]) {
      problems.add(ISV_HOST.check(`${where}: destination host`, d.host, false));
      problems.check(ISV_HOST, d.host !== '*', `${where}: destination host '*' is not allowed: name the Service host`);
      if (d.subset !== undefined) {
        problems.add(ISV_SUBSET_NAME.check(`${where}: subset`, d.subset));
      }
      if (d.port !== undefined) {
        problems.add(ISV_PORT.check(`${where}: port`, d.port));
      }
    }
    for (const d of destinations) {
      if (d.weight !== undefined) {
        problems.add(ISV_WEIGHT.check(`${where}: ${d.host}${d.subset ? `/${d.subset}` : ''}`, d.weight));
      }
    }
    const sum = destinations.reduce((total, d) => total + (d.weight ?? (destinations.length === 1 ? 100 : 0)), 0);
    problems.check(POL_WEIGHT_SUM, destinations.length === 0 || sum === 100,
      () => `${where}: weights sum to ${sum}, not 100 (${destinations.map(d => `${d.subset ?? d.host}=${d.weight ?? 0}`).join(' + ')}): make them add up to 100`);
    for (const m of route.mirrors ?? []) {
      problems.add(ISV_MIRROR_PERCENTAGE.check(`${where}: mirror to ${m.host}`, m.percentage));
    }
    return problems.all;
  }

  private toSpec(): VirtualServiceSpec {
    return {
      hosts: [...this.hosts],
      gateways: this.gateways.length > 0 ? this.gateways.map(g => g.gatewayRef) : undefined,
      http: this.routeList.map(routeToSpec),
    };
  }
}
instanceofByPrototype(VirtualService);

/** Canonical keys of a route's match blocks (`*` for a route that matches every request). */
function routeMatchKeys(route: HttpRoute): string[] {
  return route.matches && route.matches.length > 0 ? route.matches.map(m => matchKey(matchToSpec(m))) : ['*'];
}

function destinationOf(d: { host: string; subset?: string; port?: number }) {
  return { host: d.host, subset: d.subset, port: d.port !== undefined ? { number: d.port } : undefined };
}

function routeToSpec(route: HttpRoute): VirtualServiceSpecHttp {
  const mirrors = route.mirrors ?? [];
  return {
    name: route.name,
    match: route.matches && route.matches.length > 0 ? route.matches.map(matchToSpec) : undefined,
    rewrite: route.rewriteUri !== undefined ? { uri: route.rewriteUri } : undefined,
    route: route.destinations.map(d => ({
      destination: destinationOf(d),
      weight: d.weight,
      headers: d.responseHeaders || d.addedResponseHeaders
        ? {
          response: {
            set: d.responseHeaders ? { ...d.responseHeaders } : undefined,
            add: d.addedResponseHeaders ? { ...d.addedResponseHeaders } : undefined,
          },
        }
        : undefined,
    })),
    // Istio refuses `mirror` and `mirrors` together: one mirror is written the classic way
    // (as the Seldon operator does), several as `mirrors`.
    mirror: mirrors.length === 1 ? destinationOf(mirrors[0]) : undefined,
    mirrorPercentage: mirrors.length === 1 ? { value: mirrors[0].percentage } : undefined,
    mirrors: mirrors.length > 1 ? mirrors.map(m => ({ destination: destinationOf(m), percentage: { value: m.percentage } })) : undefined,
    retries: route.retries
      ? {
        attempts: route.retries.attempts,
        perTryTimeout: route.retries.perTryTimeout ? durationToIstio(route.retries.perTryTimeout) : undefined,
        // attempts: 0 disables retries; Istio refuses any other retry setting beside it.
        retryOn: route.retries.attempts === 0 ? undefined : (route.retries.retryOn ?? SELDON_RETRY_ON).join(','),
      }
      : undefined,
    timeout: route.timeout ? durationToIstio(route.timeout) : undefined,
  };
}
