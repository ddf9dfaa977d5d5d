/**
 * Fails when package-lock.json would break `npm ci` on a fresh machine (npm 11.19, empty cache):
 * - an entry without `version` (a merge once left 17 `@unrs/resolver-binding-*` entries with only
 *   `dev`/`optional`; arborist then dies with "Invalid Version:");
 * - a registry package without `integrity` (npm cannot verify what it downloads);
 * - an optional dependency that a locked package declares but the lock does not hold (npm 11.19
 *   writes such locks; `npm ci` then refuses them with "Missing: ... from lock file").
 * After any dependency change run `npx projen lockfile` (npm 11.13.0 writes a complete lock).
 */
import { readFileSync } from 'fs';

interface LockedPackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly inBundle?: boolean;
  readonly optionalDependencies?: Record<string, string>;
}

export interface Lockfile {
  readonly packages: Record<string, LockedPackage>;
}

/** Every problem of a parsed lock, one line each, in a stable order. */
export function lockfileProblems(lock: Lockfile): string[] {
  const paths = new Set(Object.keys(lock.packages));
  /** Node's resolution: look in the package's own node_modules, then each ancestor's, then the root. */
  const resolves = (from: string, name: string): boolean => {
    let dir = from;
    for (;;) {
      if (paths.has(`${dir === '' ? '' : dir + '/'}node_modules/${name}`)) return true;
      if (dir === '') return false;
      const cut = dir.lastIndexOf('/node_modules/');
      dir = cut < 0 ? '' : dir.slice(0, cut);
    }
  };

  const problems: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages).sort(([a], [b]) => a.localeCompare(b))) {
    // The root ('') and workspace links carry no version of their own.
    if (path !== '' && !pkg.link) {
      if (!pkg.version) problems.push(`${path}: no version (npm ci fails with "Invalid Version")`);
      // A registry package: no `resolved` (npm may omit it for the default registry) or an http(s)
      // tarball URL; packages bundled inside another come with it and carry no integrity.
      const fromRegistry = !pkg.inBundle && (pkg.resolved === undefined || /^https?:\/\//.test(pkg.resolved));
      if (pkg.version && fromRegistry && !pkg.integrity) problems.push(`${path}: registry package without integrity`);
    }
    for (const name of Object.keys(pkg.optionalDependencies ?? {}).sort()) {
      if (!resolves(path, name)) problems.push(`${path || '(root)'} -> ${name}: optional dependency missing from the lock`);
    }
  }
  return problems;
}

if (require.main === module) {
  const file = process.argv[2] ?? 'package-lock.json';
  const lock = JSON.parse(readFileSync(file, 'utf-8')) as Lockfile;
  const problems = lockfileProblems(lock);
  if (problems.length > 0) {
    process.stderr.write(
      `${file} has ${problems.length} problems, so \`npm ci\` fails on a fresh machine:\n  `
      + problems.join('\n  ')
      + '\nRewrite it with `npx projen lockfile` and commit it (never merge a lock by hand).\n',
    );
    process.exit(1);
  }
  process.stdout.write(`${file}: ${Object.keys(lock.packages).length} locked packages, each with a version (and integrity), every optional dependency present\n`);
}
