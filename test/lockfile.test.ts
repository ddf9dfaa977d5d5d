import { readFileSync } from 'fs';
import { lockfileProblems, Lockfile } from '../scripts/check-lockfile';

const committed = JSON.parse(readFileSync('package-lock.json', 'utf-8')) as Lockfile;

test('the committed lock has no problem', () => {
  expect(lockfileProblems(committed)).toEqual([]);
});

test('an entry without version, as a merge left it, is refused', () => {
  // The exact shape found in the broken lock: only dev/optional, no version, resolved or integrity.
  const broken = { packages: { ...committed.packages, 'node_modules/unrs-resolver/node_modules/@unrs/resolver-binding-darwin-x64': { dev: true, optional: true } } } as Lockfile;
  expect(lockfileProblems(broken)).toEqual(['node_modules/unrs-resolver/node_modules/@unrs/resolver-binding-darwin-x64: no version (npm ci fails with "Invalid Version")']);
});

test('a registry package without integrity is refused', () => {
  const { integrity, ...rest } = committed.packages['node_modules/yaml'] as any;
  expect(integrity).toBeDefined();
  const broken = { packages: { ...committed.packages, 'node_modules/yaml': rest } } as Lockfile;
  expect(lockfileProblems(broken)).toEqual(['node_modules/yaml: registry package without integrity']);
});

test('a declared optional dependency that the lock does not hold is refused', () => {
  const broken = { packages: { '': { optionalDependencies: { fsevents: '^2' } } } } as Lockfile;
  expect(lockfileProblems(broken)).toEqual(['(root) -> fsevents: optional dependency missing from the lock']);
  expect(lockfileProblems({ packages: { ...broken.packages, 'node_modules/fsevents': { version: '2.3.3', integrity: 'sha512-AAAA' } } } as Lockfile)).toEqual([]);
});
