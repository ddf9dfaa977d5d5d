import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationRule } from './authorization-policy';
import { MetricsScraping } from './metrics-scraping';
import { PeerAuthentication } from './peer-authentication';
import { JwtRule, RequestAuthentication } from './request-authentication';
import { appConstructsWhere } from '../core/app-generation';
import { EXCLUDE_OUTBOUND_PORTS_ANNOTATION, SELDON_SCRAPE, ScrapeOptOut, ScrapeTarget, SIDECAR_STATUS_PORT } from '../core/model-workloads';
import { Problems, registerValidation, show } from '../core/validation';
import { ModelEndpoint } from '../delivery/model-endpoint';
import { VariantBackend } from '../delivery/model-variant';
import { SEC_METRICS_KNOWN, SEC_POD_SELECTOR, SEC_PROTECTS } from '../rules/catalogue';
import { TfServingServer } from '../tfserving/tf-serving-server';

/** Props of an `EndpointSecurity`. */
export interface EndpointSecurityProps {
  /** The endpoint to protect: a `Canary`, `BlueGreen`, `Shadow` or `AbTest`, in either routing mode. */
  readonly endpoint: ModelEndpoint;

  /**
   * Issuers whose JSON Web Tokens the model's pods accept (a `RequestAuthentication`). With
   * `jwt` and no `allow`, only requests with a valid token reach the model.
   * @default no token check
   */
  readonly jwt?: JwtRule[];

  /**
   * Who may call the model (an ALLOW `AuthorizationPolicy`): callers by token principal or
   * claims, by namespace or peer identity, paths, methods. A request that matches no rule is refused.
   * @default with `jwt`: any request with a valid token (`requestPrincipals: ['*']`); without: no policy
   */
  readonly allow?: AuthorizationRule[];

  /**
   * How Prometheus keeps scraping the protected pods.
   * @default MetricsScraping.serverDefaults()
   */
  readonly metricsScraping?: MetricsScraping;

  /**
   * Require mutual TLS of the model's pods (a STRICT `PeerAuthentication` for them). The
   * DestinationRules this library writes for them (`Routing.istio()`) then send
   * `ISTIO_MUTUAL`. With `Routing.seldonOperator()` the operator writes the DestinationRules: install it
   * with `istio.tlsMode=ISTIO_MUTUAL` (the value `STRICT` the Seldon documentation shows is not
   * a client TLS mode; operator v1.18.2 turns it into `DISABLE`).
   * @default false
   */
  readonly mutualTls?: boolean;

  /**
   * Labels of the objects written.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/** The pods of an endpoint that one set of policies selects. */
interface SecuredPods {
  /** Suffix of the object names when an endpoint has several sets of pods. */
  readonly key: string;
  readonly description: string;
  readonly selector?: Record<string, string>;
  readonly scrape?: ScrapeTarget;
  readonly annotate?: (key: string, value: string) => void;
}

/**
 * Authentication and authorization of a model endpoint, on the pods that serve it: the
 * SeldonDeployment's pods (selected by the operator's `seldon-deployment-id` label) or the
 * TF Serving pods (`app: <server>`) behind the endpoint's routes.
 *
 * It writes, per set of pods, a `RequestAuthentication` (`<endpoint>-jwt`), an ALLOW
 * `AuthorizationPolicy` (`<endpoint>-authz`) that keeps Prometheus scraping working, and
 * with `mutualTls` a STRICT `PeerAuthentication` (`<endpoint>-mtls`).
 *
 * @example
 * new EndpointSecurity(chart, 'IrisSecurity', {
 *   endpoint: canary,
 *   jwt: [{ issuer: 'https://accounts.example.com', jwksUri: 'https://accounts.example.com/jwks.json' }],
 *   mutualTls: true,
 * });
 */
export class EndpointSecurity extends Construct {
  /** The protected endpoint. */
  public readonly endpoint: ModelEndpoint;
  /** The RequestAuthentications written (one per set of pods, none without `jwt`). */
  public readonly requestAuthentications: RequestAuthentication[] = [];
  /** The AuthorizationPolicies written (one per set of pods, none without `jwt` or `allow`). */
  public readonly authorizationPolicies: AuthorizationPolicy[] = [];
  /** The PeerAuthentications written (one per set of pods with `mutualTls`). */
  public readonly peerAuthentications: PeerAuthentication[] = [];

  private readonly scraping: MetricsScraping;
  private readonly pods: SecuredPods[];

  constructor(scope: Construct, id: string, props: EndpointSecurityProps) {
    super(scope, id);
    this.endpoint = props.endpoint;
    this.scraping = props.metricsScraping ?? MetricsScraping.serverDefaults();
    this.pods = podsOf(props.endpoint);
    const problems = new Problems();
    const authorize = props.jwt !== undefined || props.allow !== undefined;
    // SEC013
    problems.check(SEC_PROTECTS, authorize || props.mutualTls === true, 'protects nothing: set jwt, allow or mutualTls');

    const namespace = props.endpoint.namespace;
    for (const pods of this.pods) {
      if (!pods.selector) {
        // SEC008
        problems.add(SEC_POD_SELECTOR.tag(`cannot select the pods of ${pods.description}: give its ModelVariant.service a podSelector (the labels every pod behind the Service carries, e.g. { app: 'flowers' }), or use ModelVariant.tfServing`));
        continue;
      }
      const base = this.pods.length === 1 ? props.endpoint.name : `${props.endpoint.name}-${pods.key}`;
      const common = { namespace, labels: props.labels, selector: pods.selector };
      const idSuffix = this.pods.length === 1 ? '' : `-${pods.key}`;
      if (props.jwt) {
        this.requestAuthentications.push(new RequestAuthentication(this, `Jwt${idSuffix}`, { ...common, name: `${base}-jwt`, jwtRules: props.jwt }));
      }
      if (authorize) {
        const rules: AuthorizationRule[] = [...(props.allow ?? [{ requestPrincipals: ['*'] }])];
        const allowance = this.scrapeRule(pods, problems);
        if (allowance) rules.push(allowance);
        this.authorizationPolicies.push(new AuthorizationPolicy(this, `Authz${idSuffix}`, { ...common, name: `${base}-authz`, rules }));
      }
      if (props.mutualTls) {
        this.peerAuthentications.push(new PeerAuthentication(this, `Mtls${idSuffix}`, { ...common, name: `${base}-mtls` }));
      }
    }
    registerValidation(this, () => problems.all);
  }

  /** Labels of each set of pods the policies select, in order. */
  public get podSelectors(): Array<{ [key: string]: string }> {
    return this.pods.filter(p => p.selector).map(p => ({ ...p.selector! }));
  }

  /** @internal */
  public _scrapeOptOuts(): ScrapeOptOut[] {
    // With a custom allowance the user has said where Prometheus scrapes these pods, which
    // replaces the server's known endpoint in the check.
    if (this.scraping._kind !== 'none' && this.scraping._kind !== 'allow') return [];
    return this.pods.filter(p => p.selector).map(p => ({ namespace: this.endpoint.namespace, selector: p.selector! }));
  }

  /** The rule that lets Prometheus in, or undefined when another way (or none) was chosen. */
  private scrapeRule(pods: SecuredPods, problems: Problems): AuthorizationRule | undefined {
    const kind = this.scraping._kind;
    if (kind === 'allow') {
      const custom = this.scraping._custom!;
      return { methods: ['GET'], paths: [...custom.paths], ports: [...custom.ports] };
    }
    if (kind === 'defaults') {
      if (pods.scrape) return { methods: ['GET'], paths: [...pods.scrape.paths], ports: [...pods.scrape.ports] };
      // SEC009
      problems.add(SEC_METRICS_KNOWN.tag(`the pods of ${pods.description} have no known metrics endpoint, and this policy would refuse Prometheus' scrapes: set metricsScraping to MetricsScraping.allow({ paths, ports }) or, if nothing scrapes them, MetricsScraping.none()`));
      return undefined;
    }
    if (kind === 'exclude') {
      if (pods.annotate) pods.annotate(EXCLUDE_OUTBOUND_PORTS_ANNOTATION, String(SIDECAR_STATUS_PORT));
      // SEC010
      else problems.add(SEC_METRICS_KNOWN.tag(`MetricsScraping.excludeSidecarStatusPort() needs to annotate the pods of ${pods.description}, which this library does not create: use MetricsScraping.allow({ paths, ports }) or annotate them yourself and use MetricsScraping.none()`));
    }
    return undefined;
  }
}

/** The sets of pods behind an endpoint: its SeldonDeployment's, or those of each Service variant. */
function podsOf(endpoint: ModelEndpoint): SecuredPods[] {
  const sdep = endpoint.seldonDeployment;
  if (sdep) {
    return [{
      key: sdep.name,
      description: `SeldonDeployment '${sdep.name}'`,
      selector: sdep.podSelector,
      scrape: SELDON_SCRAPE,
      annotate: (k, v) => sdep._addSpecAnnotation(k, v),
    }];
  }
  const byService = new Map<string, SecuredPods>();
  // A variant names its Service; a TfServingServer of that name in the endpoint's namespace is
  // found in the app, so its pods can be annotated for scraping.
  const servers = appConstructsWhere(endpoint, 'TfServingServer', (c): c is TfServingServer => c instanceof TfServingServer);
  for (const { model } of endpoint.variants) {
    const serviceName = model.serviceName;
    if (serviceName === undefined || byService.has(serviceName)) continue;
    const server = model.backend === VariantBackend.TF_SERVING
      ? servers.find(s => s.name === serviceName && s.namespace === endpoint.namespace)
      : undefined;
    byService.set(serviceName, server
      ? {
        key: server.name,
        description: `TfServingServer '${server.name}'`,
        selector: server.podSelector,
        scrape: { paths: [TfServingServer.METRICS_PATH], ports: [TfServingServer.REST_PORT] },
        annotate: (k, v) => server._addPodAnnotation(k, v),
      }
      : {
        key: serviceName,
        description: `Service ${show(serviceName)}`,
        selector: model.podSelector,
      });
  }
  return [...byService.values()];
}
