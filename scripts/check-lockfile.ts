/**
 * Fails when package-lock.json lacks an entry for an optional dependency that a locked package
 * declares. npm 11.19 writes such incomplete locks (it drops the per-platform
 * `@unrs/resolver-binding-*` packages of unrs-resolver), and `npm ci` on npm 11.19 then refuses
 * them with "Missing: ... from lock file". projen's own `npm install` rewrites the lock that way,
 * so after any dependency change run `npx projen lockfile` (npm 11.13.0 writes a complete lock).
 */
import { readFileSync } from 'fs';

interface LockedPackage {
  readonly optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf-8')) as { packages: Record<string, LockedPackage> };
const paths = new Set(Object.keys(lock.packages));

/** Node's resolution: look in the package's own node_modules, then each ancestor's, then the root. */
function resolves(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (paths.has(`${dir === '' ? '' : dir + '/'}node_modules/${name}`)) return true;
    if (dir === '') return false;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

const missing: string[] = [];
for (const [path, pkg] of Object.entries(lock.packages).sort(([a], [b]) => a.localeCompare(b))) {
  for (const name of Object.keys(pkg.optionalDependencies ?? {}).sort()) {
    if (!resolves(path, name)) missing.push(`${path || '(root)'} -> ${name}`);
  }
}
if (missing.length > 0) {
  process.stderr.write(
    `package-lock.json misses ${missing.length} optional dependencies, so \`npm ci\` fails on npm 11.19:\n  `
    + missing.join('\n  ')
    + '\nRewrite it with `npx projen lockfile` and commit it.\n',
  );
  process.exit(1);
}
process.stdout.write(`package-lock.json: every optional dependency of ${paths.size} locked packages is present\n`);
