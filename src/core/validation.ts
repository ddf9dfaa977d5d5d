import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { bumpGeneration, generationCounterOf } from './app-generation';
import { Rule } from '../rules/rule';

/**
 * Collects the problems a construct finds in its own configuration.
 *
 * Every message names the offending value and what would be valid; the construct path is
 * added by cdk8s (`App.synth`) or by `assertValid` (a bare `chart.toJson()`), so a bad
 * manifest never reaches YAML whichever way the app is synthesized.
 * @internal
 */
export class Problems {
  private readonly messages: string[] = [];

  /** Records `message`, tagged with `rule`'s id, unless `ok`. */
  public check(rule: Rule<any>, ok: boolean, message: string | (() => string)): void {
    if (!ok) this.messages.push(rule.tag(typeof message === 'function' ? message() : message));
  }

  /** Records what a catalogue rule's check found (already tagged), if anything. */
  public add(found: string | undefined): void {
    if (found !== undefined) this.messages.push(found);
  }

  public addAll(messages: readonly string[]): void {
    this.messages.push(...messages);
  }

  public get all(): string[] {
    return [...this.messages];
  }
}

/**
 * Registers `validate` with the construct tree (so `App.synth` reports every problem of the
 * app at once, each with its construct path) and returns a guard for the construct's lazy
 * producers, which throws the same messages when a chart is rendered without the app.
 *
 * Results are kept for one generation of the app (until a construct of the library is added
 * or changed): cdk8s validates the whole app again for every chart it renders
 * (`App._synthChart`), and without the cache an app of C charts would run every rule C + 1 times.
 * @internal
 */
export function registerValidation(construct: IConstruct, validate: () => string[]): () => void {
  bumpGeneration(construct);
  const run = cachedPerGeneration(construct, validate);
  construct.node.addValidation({ validate: run });
  return () => {
    const problems = run();
    if (problems.length > 0) {
      throw new Error(`Validation failed with the following errors:\n  ${problems.map(p => `[${construct.node.path}] ${p}`).join('\n  ')}`);
    }
  };
}

/**
 * The Kubernetes object of a library construct: its spec is rendered at synth time (so what
 * `add*` methods added after construction lands in it), behind the construct's validation
 * guard, so a bare `chart.toJson()` never renders an invalid object either.
 * @internal
 */
export function validatedApiObject(
  scope: IConstruct, id: string, object: { readonly apiVersion: string; readonly kind: string; readonly metadata?: ApiObjectMetadata },
  assertValid: () => void, spec: () => unknown,
): ApiObject {
  return new ApiObject(scope, id, {
    ...object,
    spec: Lazy.any({
      produce: () => {
        assertValid();
        return spec();
      },
    }),
  });
}

/** `compute`, evaluated at most once per generation of `scope`'s app. @internal */
export function cachedPerGeneration<T>(scope: IConstruct, compute: () => T): () => T {
  let cache: { generation: number; value: T } | undefined;
  const counter = generationCounterOf(scope);
  return () => {
    const generation = counter.value;
    if (cache === undefined || cache.generation !== generation) cache = { generation, value: compute() };
    return cache.value;
  };
}

/** Renders a value for an error message: strings quoted, everything else as JSON. @internal */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
