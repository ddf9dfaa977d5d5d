import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeferredSpec, instanceofByPrototype, istioObjectProps } from '../core/library-object';
import { Problems, registerValidation, show } from '../core/validation';
import { RequestAuthenticationSpec, toJson_RequestAuthenticationSpec } from '../imports/security.istio.io';
import { SEC_ISSUER, SEC_JWKS_URI, SEC_JWT_SHAPE } from '../rules/catalogue';

/**
 * Where a request carries its JWT. Create it with `JwtTokenLocation.header` or
 * `JwtTokenLocation.queryParameter`.
 */
export class JwtTokenLocation {
  /**
   * A request header, e.g. `JwtTokenLocation.header('Authorization', 'Bearer ')`.
   * @param name the header name
   * @param prefix text before the token in the header value (note the trailing space of `'Bearer '`)
   */
  public static header(name: string, prefix?: string): JwtTokenLocation {
    return new JwtTokenLocation(name, prefix, false);
  }

  /** A query parameter, e.g. `JwtTokenLocation.queryParameter('access_token')`. */
  public static queryParameter(name: string): JwtTokenLocation {
    return new JwtTokenLocation(name, undefined, true);
  }

  private constructor(
    /** The header or parameter name. */
    public readonly name: string,
    /** Text before the token in a header value. */
    public readonly prefix: string | undefined,
    /** True for a query parameter, false for a header. */
    public readonly isQueryParameter: boolean,
  ) {}
}

/** One issuer of JSON Web Tokens that the model's sidecar accepts. */
export interface JwtRule {
  /** The token issuer (`iss` claim), e.g. `https://accounts.example.com`. */
  readonly issuer: string;

  /**
   * HTTPS URL of the issuer's public key set (JWKS).
   * @default Istio discovers it from the issuer's OpenID configuration
   */
  readonly jwksUri?: string;

  /**
   * Audiences (`aud` claim) of the tokens accepted.
   * @default any audience
   */
  readonly audiences?: string[];

  /**
   * Where requests carry the token.
   * @default the `Authorization: Bearer <token>` header and the `access_token` query parameter (Istio's default)
   */
  readonly tokenLocations?: JwtTokenLocation[];

  /**
   * Pass the token on to the model container. The Seldon engine does not need it; a model
   * that reads the caller's identity does.
   * @default false: the sidecar removes the token once it has checked it
   */
  readonly forwardOriginalToken?: boolean;
}

/** Props of a `RequestAuthentication`. */
export interface RequestAuthenticationProps {
  /** The issuers whose tokens are checked. */
  readonly jwtRules: JwtRule[];

  /**
   * Labels of the pods the rules apply to.
   * @default every pod of the namespace
   */
  readonly selector?: { [key: string]: string };

  /**
   * Name of the RequestAuthentication.
   * @default a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of the RequestAuthentication.
   * @default the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels of the RequestAuthentication object.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * An Istio `RequestAuthentication`: the selected pods' sidecars check the JWT of every
 * request that carries one, and refuse an invalid token. A request without a token passes:
 * pair it with an `AuthorizationPolicy` that requires a request principal.
 *
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class RequestAuthentication extends ApiObject {
  /** Namespace of the RequestAuthentication, when known. */
  public readonly namespace?: string;
  /** Labels of the pods the rules apply to (undefined: the whole namespace). */
  public readonly selector?: { [key: string]: string };

  private readonly jwtRules: JwtRule[];

  constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    const spec = new DeferredSpec();
    super(scope, id, istioObjectProps(scope, 'security', 'RequestAuthentication', props, spec));
    this.namespace = this.metadata.namespace;
    this.jwtRules = [...props.jwtRules];
    this.selector = props.selector ? { ...props.selector } : undefined;
    const assertValid = registerValidation(this, () => jwtRuleProblems(this.jwtRules));
    spec.bind(assertValid, () => {
      const rendered = toJson_RequestAuthenticationSpec(this.toSpec())!;
      // The generated import writes the CRD's legacy alias `jwks_uri`; Istio documents `jwksUri`.
      rendered.jwtRules = rendered.jwtRules.map(({ jwks_uri: jwksUri, ...rule }: any) => ({ ...rule, jwksUri }));
      return rendered;
    });
  }

  /** Issuers of the rules, in order. */
  public get issuers(): string[] {
    return this.jwtRules.map(r => r.issuer);
  }

  private toSpec(): RequestAuthenticationSpec {
    return {
      selector: this.selector ? { matchLabels: { ...this.selector } } : undefined,
      jwtRules: this.jwtRules.map(rule => {
        const locations = rule.tokenLocations ?? [];
        const headers = locations.filter(l => !l.isQueryParameter);
        const params = locations.filter(l => l.isQueryParameter);
        return {
          issuer: rule.issuer,
          jwksUri: rule.jwksUri,
          audiences: rule.audiences ? [...rule.audiences] : undefined,
          fromHeaders: headers.length > 0 ? headers.map(h => ({ name: h.name, prefix: h.prefix })) : undefined,
          fromParams: params.length > 0 ? params.map(p => p.name) : undefined,
          forwardOriginalToken: rule.forwardOriginalToken,
        };
      }),
    };
  }
}
instanceofByPrototype(RequestAuthentication);

/**
 * The problems of JWT rules: Istio's own checks (`validateJwtRule`: non-empty audiences and
 * token locations, a parseable JWKS URI) and this library's stricter ones (an issuer on every
 * rule, keys fetched over HTTPS).
 * @internal
 */
function jwtRuleProblems(rules: readonly JwtRule[]): string[] {
  const problems = new Problems();
  problems.check(SEC_JWT_SHAPE, rules.length > 0, 'has no JWT rule: give at least one issuer');
  rules.forEach((rule, i) => {
    const where = `JWT rule ${i}`;
    // SEC001. Istio accepts a rule with only jwksUri; requestPrincipals are `<issuer>/<subject>`,
    // so a rule without issuer cannot be granted access by name.
    problems.check(SEC_ISSUER, typeof rule.issuer === 'string' && rule.issuer.trim().length > 0,
      () => `${where}: issuer ${show(rule.issuer ?? 'unset')} is missing: set the token issuer (the 'iss' claim), e.g. 'https://accounts.example.com'`);
    // SEC002. Istio accepts http:// too; keys fetched in clear text can be swapped on the way.
    if (rule.jwksUri !== undefined && !isHttpsUrl(rule.jwksUri)) {
      problems.add(SEC_JWKS_URI.tag(`${where}: jwksUri ${show(rule.jwksUri)} is not an https URL: use the issuer's key set URL, e.g. 'https://accounts.example.com/.well-known/jwks.json', or leave it unset to discover it from the issuer`));
    }
    // SEC003. Istio: "audience must be non-empty string", "location header name must be non-empty string".
    for (const audience of rule.audiences ?? []) {
      problems.check(SEC_JWT_SHAPE, audience.trim().length > 0, `${where}: audiences contain an empty string: list the accepted 'aud' values`);
    }
    for (const location of rule.tokenLocations ?? []) {
      problems.check(SEC_JWT_SHAPE, location.name.trim().length > 0,
        `${where}: a token location has an empty name: name the header (e.g. 'Authorization') or the query parameter (e.g. 'access_token')`);
    }
  });
  const issuers = rules.map(r => r.issuer);
  const twice = issuers.filter((issuer, i) => issuers.indexOf(issuer) !== i);
  problems.check(SEC_JWT_SHAPE, twice.length === 0, () => `issuer ${show(twice[0])} has two JWT rules: merge them into one (list both audiences)`);
  return problems.all;
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}
