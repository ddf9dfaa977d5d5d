import { IConstruct } from 'constructs';

/**
 * A counter per app that moves whenever a construct the rules look at is added or changed.
 * Validation results are valid for one generation: a chart rendered right after `App.synth`
 * validated it does not validate again.
 */
const GENERATIONS = new WeakMap<IConstruct, { value: number }>();

function counterOf(scope: IConstruct): { value: number } {
  const root = scope.node.root;
  let counter = GENERATIONS.get(root);
  if (!counter) {
    counter = { value: 0 };
    GENERATIONS.set(root, counter);
  }
  return counter;
}

/**
 * The app's generation counter itself: read `.value` for the current generation. A construct's
 * root never changes, so callers that read it often keep the counter instead of walking up
 * the tree each time. @internal
 */
export function generationCounterOf(scope: IConstruct): { readonly value: number } {
  return counterOf(scope);
}

/** The app's current generation. @internal */
export function generationOf(scope: IConstruct): number {
  return counterOf(scope).value;
}

/** Records that something in the app changed. @internal */
export function bumpGeneration(scope: IConstruct): void {
  counterOf(scope).value++;
}

const CONSTRUCTS = new WeakMap<IConstruct, { generation: number; all: IConstruct[] }>();

/**
 * Every construct of `scope`'s app, found once per generation: rules that look across the app
 * (mTLS, scrape allowances, egress) would otherwise walk the whole tree once per construct.
 * @internal
 */
export function appConstructs(scope: IConstruct): IConstruct[] {
  const root = scope.node.root;
  const generation = counterOf(root).value;
  let cached = CONSTRUCTS.get(root);
  if (!cached || cached.generation !== generation) {
    cached = { generation, all: root.node.findAll() };
    CONSTRUCTS.set(root, cached);
  }
  return cached.all;
}

const SELECTIONS = new WeakMap<IConstruct, { generation: number; byKey: Map<string, IConstruct[]> }>();

/**
 * The constructs of `scope`'s app that `select` keeps, computed once per generation and `key`
 * (a rule asked by every DestinationRule for the PeerAuthentications must not filter the whole
 * tree each time). @internal
 */
export function appConstructsWhere<T extends IConstruct>(scope: IConstruct, key: string, select: (c: IConstruct) => c is T): T[] {
  const root = scope.node.root;
  const generation = counterOf(root).value;
  let cached = SELECTIONS.get(root);
  if (!cached || cached.generation !== generation) {
    cached = { generation, byKey: new Map() };
    SELECTIONS.set(root, cached);
  }
  let selected = cached.byKey.get(key);
  if (!selected) {
    selected = appConstructs(scope).filter(select);
    cached.byKey.set(key, selected);
  }
  return selected as T[];
}
