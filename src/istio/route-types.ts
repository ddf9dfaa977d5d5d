import { Duration } from 'cdk8s';
import { VirtualServiceSpecHttpMatch, VirtualServiceSpecHttpMatchHeaders } from '../imports/networking.istio.io';

/** How a `StringMatch` compares. */
export enum StringMatchType {
  /** The value equals the string. */
  EXACT = 'exact',
  /** The value starts with the string. */
  PREFIX = 'prefix',
  /** The value matches the RE2 pattern (anchored). */
  REGEX = 'regex',
}

/** How a string (a header, a cookie, a URI) is matched by a route. */
export class StringMatch {
  /** The value equals `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch(StringMatchType.EXACT, value);
  }

  /** The value starts with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch(StringMatchType.PREFIX, value);
  }

  /** The value matches the RE2 regular expression `pattern` (anchored: it must match the whole value). */
  public static regex(pattern: string): StringMatch {
    return new StringMatch(StringMatchType.REGEX, pattern);
  }

  /**
   * A condition on the `cookie` header that holds when the cookie `name` has the value `value`,
   * wherever it stands among the request's cookies. Browsers separate cookies with `; ` (RFC 6265
   * §4.2.1), so the pattern allows white space after each `;`.
   */
  public static cookie(name: string, value: string): StringMatch {
    return StringMatch.regex(`^(.*?;\\s*)?(${escapeRegex(name)}=${escapeRegex(value)})(;.*)?$`);
  }

  private constructor(
    /** How the value is compared. */
    public readonly type: StringMatchType,
    /** The value or pattern. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _toSpec(): { [kind: string]: string } {
    return { [this.type]: this.value };
  }

  /** A short human-readable form, e.g. `prefix /seldon/`. @internal */
  public _describe(): string {
    return `${this.type} ${this.value}`;
  }
}

/**
 * The conditions of one route match; all of them must hold. A route with several matches
 * applies when any of them holds.
 */
export interface HttpMatch {
  /**
   * Name of the match, shown in Envoy's access logs.
   * @default none
   */
  readonly name?: string;

  /**
   * The request path.
   * @default any path
   */
  readonly uri?: StringMatch;

  /**
   * Request headers (lower-case names), e.g. `{ 'x-group': StringMatch.exact('beta') }`.
   * @default no header condition
   */
  readonly headers?: { [name: string]: StringMatch };

  /**
   * The request's authority (`Host` header), e.g. `StringMatch.exact('preview.example.com')`.
   * @default any authority
   */
  readonly authority?: StringMatch;

  /**
   * Labels of the calling workload; only for routes bound to the `mesh` gateway.
   * @default any caller
   */
  readonly sourceLabels?: { [key: string]: string };
}

/** @internal */
export function matchToSpec(match: HttpMatch): VirtualServiceSpecHttpMatch {
  const headers = match.headers
    ? Object.fromEntries(Object.entries(match.headers).map(([k, v]) => [k, v._toSpec() as VirtualServiceSpecHttpMatchHeaders]))
    : undefined;
  return {
    name: match.name,
    uri: match.uri?._toSpec(),
    authority: match.authority?._toSpec(),
    headers,
    sourceLabels: match.sourceLabels,
  };
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Retries of a route. */
export interface RetryPolicy {
  /** Number of retries (not counting the first try), an integer >= 0. */
  readonly attempts: number;

  /**
   * Timeout of each try, at least 1ms, in whole milliseconds.
   * @default delivery patterns, in both routing modes: 1s (the Seldon operator's default, which
   * the explicit renderer writes too); a route of a `VirtualService`: the route's timeout
   */
  readonly perTryTimeout?: Duration;

  /**
   * Conditions that trigger a retry: Envoy retry policies (`5xx`, `gateway-error`,
   * `connect-failure`, `refused-stream`, `reset`, `retriable-4xx`, ...) or HTTP status codes.
   * @default ['gateway-error', 'connect-failure', 'refused-stream'] (what the Seldon operator writes)
   */
  readonly retryOn?: string[];
}

/** What the Seldon operator writes as `retryOn`. @internal */
export const SELDON_RETRY_ON = ['gateway-error', 'connect-failure', 'refused-stream'];

/** An Istio duration string: whole seconds as `Ns`, else `Nms`. @internal */
export function durationToIstio(duration: Duration): string {
  const ms = duration.toMilliseconds({ integral: false });
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
