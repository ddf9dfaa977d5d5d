import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RequestAuthentication } from './request-authentication';
import { appConstructsWhere } from '../core/app-generation';
import { DeferredSpec, instanceofByPrototype, istioObjectProps } from '../core/library-object';
import {
  excludesStatusPort, ISTIO_ROOT_NAMESPACE, ModelWorkload, modelWorkloads, scrapeOptOuts, ScrapeTarget, selects,
} from '../core/model-workloads';
import { Problems, registerValidation, show } from '../core/validation';
import {
  AuthorizationPolicySpec, AuthorizationPolicySpecAction, AuthorizationPolicySpecRules, toJson_AuthorizationPolicySpec,
} from '../imports/security.istio.io';
import { SEC_DENY_RULES, SEC_JWT_NEEDED, SEC_RULE_VALUES, SEC_SCRAPE } from '../rules/catalogue';

/** What an `AuthorizationPolicy` does with the requests its rules match. */
export enum AuthorizationAction {
  /** Let matching requests in; once any ALLOW policy applies to a pod, every other request is refused. */
  ALLOW = 'ALLOW',
  /** Refuse matching requests, whatever the ALLOW policies say. */
  DENY = 'DENY',
}

/**
 * One rule of an `AuthorizationPolicy`: a request matches when it meets every condition set
 * (the caller, the operation and the token claims); an unset condition matches anything.
 *
 * @example
 * { requestPrincipals: ['https://accounts.example.com/*'], claims: { groups: ['ml-clients'] }, methods: ['POST'] }
 */
export interface AuthorizationRule {
  /**
   * Request principals (`<issuer>/<subject>` of a valid JWT); `*` is any valid token.
   * @default any caller, with or without a token
   */
  readonly requestPrincipals?: string[];

  /**
   * Claims of the JWT, each with the values accepted (any one of them), e.g. `{ groups: ['ml-clients'] }`.
   * @default no claim condition
   */
  readonly claims?: { [claim: string]: string[] };

  /**
   * Namespaces of the calling workloads (needs mutual TLS between the caller and the model).
   * @default any namespace
   */
  readonly sourceNamespaces?: string[];

  /**
   * Peer identities of the calling workloads, e.g. `cluster.local/ns/apps/sa/scorer` (needs mutual TLS).
   * @default any workload
   */
  readonly sourcePrincipals?: string[];

  /**
   * Request paths: exact (`/api/v1.0/predictions`), prefix (`/seldon/*`) or suffix (`*metadata`).
   * @default any path
   */
  readonly paths?: string[];

  /**
   * HTTP methods, upper case (`GET`, `POST`).
   * @default any method
   */
  readonly methods?: string[];

  /**
   * Ports of the model's pods the request is sent to.
   * @default any port
   */
  readonly ports?: number[];
}

/** Props of an `AuthorizationPolicy`. */
export interface AuthorizationPolicyProps {
  /**
   * What the policy does with the requests its rules match.
   * @default AuthorizationAction.ALLOW
   */
  readonly action?: AuthorizationAction;

  /**
   * Rules; a request matching any rule gets the action.
   * @default none: an ALLOW policy without rules refuses every request (Istio's "allow nothing"
   * policy); a DENY policy needs rules
   */
  readonly rules?: AuthorizationRule[];

  /**
   * Labels of the pods the policy applies to.
   * @default every pod of the namespace
   */
  readonly selector?: { [key: string]: string };

  /**
   * Say that this policy is meant to refuse Prometheus' unauthenticated scrapes of the model
   * servers it applies to (for example, Prometheus runs in the mesh under an identity a rule
   * allows). Without it, the synth fails when the policy would leave a model server of the app
   * unscrapable.
   * @default false
   */
  readonly blocksMetricsScraping?: boolean;

  /**
   * Name of the AuthorizationPolicy.
   * @default a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of the AuthorizationPolicy (`istio-system` without selector: the whole mesh).
   * @default the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels of the AuthorizationPolicy object.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/**
 * An Istio `AuthorizationPolicy`: which requests the selected pods' sidecars let in.
 *
 * At synth time it also checks that it does not silently stop Prometheus from scraping a
 * model server of the app (Seldon's documented pitfall): the model servers it applies to must
 * stay reachable with an unauthenticated `GET` on their metrics path and ports, through a rule
 * of this or another ALLOW policy, unless their sidecars leave port 15021 out or the owner
 * opted out (`blocksMetricsScraping`, `MetricsScraping.none()`).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends ApiObject {
  /** Namespace of the AuthorizationPolicy, when known. */
  public readonly namespace?: string;
  /** What the policy does with matching requests. */
  public readonly action: AuthorizationAction;
  /** Labels of the pods the policy applies to (undefined: the whole namespace). */
  public readonly selector?: { [key: string]: string };

  private readonly rules?: AuthorizationRule[];
  private readonly blocksMetricsScraping: boolean;

  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    const spec = new DeferredSpec();
    super(scope, id, istioObjectProps(scope, 'security', 'AuthorizationPolicy', props, spec));
    this.namespace = this.metadata.namespace;
    this.action = props.action ?? AuthorizationAction.ALLOW;
    this.rules = props.rules ? [...props.rules] : undefined;
    this.selector = props.selector ? { ...props.selector } : undefined;
    this.blocksMetricsScraping = props.blocksMetricsScraping ?? false;
    const assertValid = registerValidation(this, () => [...this.problems(), ...this.scrapeProblems()]);
    spec.bind(assertValid, () => toJson_AuthorizationPolicySpec(this.toSpec()));
  }

  /** The rules, in order (empty for an "allow nothing" policy). */
  public get ruleList(): AuthorizationRule[] {
    return [...(this.rules ?? [])];
  }

  /**
   * True when the policy applies to every pod of `workload`.
   * @internal
   */
  public _appliesTo(namespace: string, podLabels: Record<string, string>): boolean {
    const meshWide = this.namespace === ISTIO_ROOT_NAMESPACE && this.selector === undefined;
    return meshWide || (this.namespace === namespace && selects(this.selector, podLabels));
  }

  /**
   * True when a rule matches an unauthenticated `GET path` on `port` from outside the mesh:
   * no token, no peer identity (how Prometheus usually scrapes).
   * @internal
   */
  public _matchesAnonymousGet(path: string, port: number): boolean {
    return (this.rules ?? []).some(rule => {
      const fromAnyone = !rule.requestPrincipals && !rule.claims && !rule.sourceNamespaces && !rule.sourcePrincipals;
      const method = !rule.methods || rule.methods.includes('GET');
      const onPath = !rule.paths || rule.paths.some(p => pathMatches(p, path));
      const onPort = !rule.ports || rule.ports.includes(port);
      return fromAnyone && method && onPath && onPort;
    });
  }

  /** True when a rule needs a validated JWT (request principals or claims). @internal */
  public get _needsJwt(): boolean {
    return (this.rules ?? []).some(r => r.requestPrincipals !== undefined || r.claims !== undefined);
  }

  private problems(): string[] {
    const problems = new Problems();
    // SEC004, as Istio: "DENY action without `rules` is meaningless as it will never be triggered".
    problems.check(SEC_DENY_RULES, this.action !== AuthorizationAction.DENY || (this.rules ?? []).length > 0,
      'is a DENY policy without rules, which Istio refuses (it would never apply): add the rules of the requests to refuse');
    (this.rules ?? []).forEach((rule, i) => problems.addAll(ruleProblems(`rule ${i}`, rule)));
    if (this._needsJwt) problems.addAll(this.jwtProblems());
    return problems.all;
  }

  /** SEC006: a rule on request principals or claims matches only requests whose JWT was validated. */
  private jwtProblems(): string[] {
    const authentications = appConstructsWhere(this, 'RequestAuthentication', (c): c is RequestAuthentication => c instanceof RequestAuthentication);
    const covered = authentications.some(ra => ra.namespace === this.namespace
      && (ra.selector === undefined || (this.selector !== undefined && selects(ra.selector, this.selector))));
    if (covered) return [];
    return [SEC_JWT_NEEDED.tag(`matches request principals or JWT claims, but no RequestAuthentication of this app validates tokens for its pods (namespace ${show(this.namespace ?? 'unset')}${this.selector ? `, selector ${show(this.selector)}` : ''}), so these rules can never match: add a RequestAuthentication (or the jwt prop of EndpointSecurity) for the same pods`)];
  }

  /** SEC007: model servers this ALLOW policy applies to must stay scrapable. */
  private scrapeProblems(): string[] {
    if (this.action !== AuthorizationAction.ALLOW || this.blocksMetricsScraping || this.namespace === undefined) return [];
    const problems: string[] = [];
    const optOuts = scrapeOptOuts(this);
    for (const workload of modelWorkloads(this)) {
      if (!this._appliesTo(workload.namespace, workload.podLabels)) continue;
      if (excludesStatusPort(workload)) continue;
      if (optOuts.some(o => o.namespace === workload.namespace && selects(o.selector, workload.podLabels))) continue;
      const blocked = blockedScrapes(this, workload);
      if (blocked.length === 0) continue;
      problems.push(SEC_SCRAPE.tag(`applies to ${workload.description} in namespace '${workload.namespace}' and leaves Prometheus unable to scrape it (GET ${blocked.join(', ')} is refused): `
        + `allow it with a rule { methods: ['GET'], paths: ${show(workload.scrape.paths)}, ports: ${show(workload.scrape.ports)} } (EndpointSecurity adds it by default), `
        + 'or use MetricsScraping.excludeSidecarStatusPort(), or opt out explicitly with MetricsScraping.none() / blocksMetricsScraping: true'));
    }
    return problems;
  }

  private toSpec(): AuthorizationPolicySpec {
    return {
      selector: this.selector ? { matchLabels: { ...this.selector } } : undefined,
      // ALLOW is Istio's default; written out so a reader need not know it.
      action: this.action as string as AuthorizationPolicySpecAction,
      rules: this.rules?.map(ruleToSpec),
    };
  }
}
instanceofByPrototype(AuthorizationPolicy);

/** The scrape requests (`<path> on port <n>`) of `workload` that the ALLOW policies applying to it refuse. */
function blockedScrapes(scope: IConstruct, workload: ModelWorkload): string[] {
  const policies = appConstructsWhere(scope, 'AuthorizationPolicy', (c): c is AuthorizationPolicy => c instanceof AuthorizationPolicy)
    .filter(p => p._appliesTo(workload.namespace, workload.podLabels));
  const allows = policies.filter(p => p.action === AuthorizationAction.ALLOW);
  const denies = policies.filter(p => p.action === AuthorizationAction.DENY);
  const blocked: string[] = [];
  const target: ScrapeTarget = workload.scrape;
  for (const path of target.paths) {
    for (const port of target.ports) {
      const denied = denies.some(p => p._matchesAnonymousGet(path, port));
      const allowed = allows.length === 0 || allows.some(p => p._matchesAnonymousGet(path, port));
      if (denied || !allowed) blocked.push(`${path} on port ${port}`);
    }
  }
  return blocked;
}

/** Istio's path matching: exact, `prefix*`, `*suffix`, or `*` for any path. */
function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1));
  return pattern === path;
}

/** SEC005: the problems of one rule (Istio's empty-value and port checks; our method and path forms). */
function ruleProblems(where: string, rule: AuthorizationRule): string[] {
  const problems = new Problems();
  const lists: Array<[string, string[] | undefined]> = [
    ['requestPrincipals', rule.requestPrincipals], ['sourceNamespaces', rule.sourceNamespaces],
    ['sourcePrincipals', rule.sourcePrincipals], ['paths', rule.paths], ['methods', rule.methods],
  ];
  for (const [field, values] of lists) {
    if (values === undefined) continue;
    problems.check(SEC_RULE_VALUES, values.length > 0, `${where}: ${field} is empty, which Istio refuses: list at least one value, or leave ${field} unset to match any`);
    problems.check(SEC_RULE_VALUES, values.every(v => v.trim().length > 0), `${where}: ${field} contains an empty string, which Istio refuses ("empty value not allowed")`);
  }
  for (const method of rule.methods ?? []) {
    problems.check(SEC_RULE_VALUES, METHODS.includes(method),
      () => `${where}: method ${show(method)} never matches (HTTP methods are upper case): use one of ${show(METHODS)}`);
  }
  for (const path of rule.paths ?? []) {
    problems.check(SEC_RULE_VALUES, path === '*' || path.startsWith('/') || path.startsWith('*'),
      () => `${where}: path ${show(path)} never matches a request path: start it with '/' (exact or '/prefix*') or '*' ('*suffix')`);
  }
  for (const port of rule.ports ?? []) {
    problems.check(SEC_RULE_VALUES, Number.isInteger(port) && port >= 1 && port <= 65535, () => `${where}: port ${show(port)} is not a port: use an integer from 1 to 65535`);
  }
  for (const [claim, values] of Object.entries(rule.claims ?? {})) {
    problems.check(SEC_RULE_VALUES, claim.trim().length > 0, `${where}: a claim has an empty name: name the JWT claim, e.g. 'groups'`);
    problems.check(SEC_RULE_VALUES, values.length > 0 && values.every(v => v.length > 0),
      () => `${where}: claim ${show(claim)} has no value (Istio: "at least one of values or notValues must be set"): list the accepted values`);
  }
  return problems.all;
}

function ruleToSpec(rule: AuthorizationRule): AuthorizationPolicySpecRules {
  const source = {
    requestPrincipals: rule.requestPrincipals ? [...rule.requestPrincipals] : undefined,
    namespaces: rule.sourceNamespaces ? [...rule.sourceNamespaces] : undefined,
    principals: rule.sourcePrincipals ? [...rule.sourcePrincipals] : undefined,
  };
  const operation = {
    methods: rule.methods ? [...rule.methods] : undefined,
    paths: rule.paths ? [...rule.paths] : undefined,
    ports: rule.ports?.map(String),
  };
  const claims = Object.entries(rule.claims ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return {
    from: Object.values(source).some(v => v) ? [{ source }] : undefined,
    to: Object.values(operation).some(v => v) ? [{ operation }] : undefined,
    when: claims.length > 0 ? claims.map(([claim, values]) => ({ key: `request.auth.claims[${claim}]`, values: [...values] })) : undefined,
  };
}
