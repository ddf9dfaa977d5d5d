import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { appConstructs, bumpGeneration, generationCounterOf } from './app-generation';
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

/** A construct's own rules, cached per generation, as the app-level pass runs them. */
interface Registered {
  readonly construct: IConstruct;
  readonly problems: () => string[];
}

const REGISTRIES = new WeakMap<IConstruct, Registered[]>();

/**
 * Registers `validate` with the app's one validation pass (so `App.synth` reports every problem
 * of the library at once, each with its construct path) and returns a guard for the construct's
 * lazy producers, which throws the same messages when a chart is rendered without the app.
 *
 * Results are kept for one generation of the app (until a construct of the library is added
 * or changed): cdk8s validates the whole app again for every chart it renders
 * (`App._synthChart`), so an app of C charts asks C + 1 times; only the first runs the rules.
 * @internal
 */
export function registerValidation(construct: IConstruct, validate: () => string[]): () => void {
  bumpGeneration(construct);
  const problems = cachedPerGeneration(construct, validate);
  registryOf(construct).push({ construct, problems });
  return () => {
    const found = problems();
    if (found.length > 0) throw validationError(found.map(p => `[${construct.node.path}] ${p}`));
  };
}

/**
 * The registry of `scope`'s app. The first registration adds the app's one validation, on the
 * root: one `addValidation` per app instead of one per construct, and one cached result per
 * generation, so every pass of cdk8s after the first costs one lookup, not one per construct.
 */
function registryOf(scope: IConstruct): Registered[] {
  const root = scope.node.root;
  let registry = REGISTRIES.get(root);
  if (registry === undefined) {
    const registered: Registered[] = [];
    const appProblems = cachedPerGeneration(root, () => pathsAndProblems(root, registered));
    root.node.addValidation({
      validate: () => {
        const found = appProblems();
        // cdk8s would prefix a returned message with the root's path (`[]`): the pass throws
        // cdk8s's own error instead, each problem with the path of the construct that found it.
        if (found.length > 0) throw validationError(found);
        return [];
      },
    });
    REGISTRIES.set(root, registered);
    registry = registered;
  }
  return registry;
}

/** Every registered construct's problems as `[path] problem`, in the tree's order (cdk8s's). */
function pathsAndProblems(root: IConstruct, registered: readonly Registered[]): string[] {
  const failing = registered.filter(r => r.problems().length > 0);
  if (failing.length === 0) return [];
  const order = new Map(appConstructs(root).map((c, index) => [c, index]));
  return failing
    .filter(r => order.has(r.construct)) // removed from the tree since it registered
    .sort((a, b) => order.get(a.construct)! - order.get(b.construct)!)
    .flatMap(r => r.problems().map(p => `[${r.construct.node.path}] ${p}`));
}

/** The error `App.synth` throws for failed validations, in cdk8s's words. */
function validationError(problems: readonly string[]): Error {
  return new Error(`Validation failed with the following errors:\n  ${problems.join('\n  ')}`);
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
