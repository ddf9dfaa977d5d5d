import { IConstruct } from 'constructs';
import { generationOf } from './app-generation';
import { Rule } from './rules/rule';

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
 * producers, which throws the same messages when a chart is rendered without the app. The
 * guard does not validate again what `App.synth` has just validated, in the same generation
 * of the app (nothing added or changed since).
 * @internal
 */
export function registerValidation(construct: IConstruct, validate: () => string[]): () => void {
  let passedAt: number | undefined;
  construct.node.addValidation({
    validate: () => {
      const problems = validate();
      passedAt = problems.length === 0 ? generationOf(construct) : undefined;
      return problems;
    },
  });
  return () => {
    if (passedAt === generationOf(construct)) return;
    const problems = validate();
    if (problems.length > 0) {
      throw new Error(`Validation failed with the following errors:\n  ${problems.map(p => `[${construct.node.path}] ${p}`).join('\n  ')}`);
    }
  };
}

/** Renders a value for an error message: strings quoted, everything else as JSON. @internal */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
