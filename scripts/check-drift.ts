/**
 * Fails when a generated file differs from what is committed: the imports regenerated from
 * the vendored CRDs, API.md from the jsii build, projen's own files, and the example's dist/.
 * Run after `npx projen import`, `build` and `example` (the `verify` task does).
 */
import { execFileSync } from 'child_process';

const GENERATED = ['src/imports', 'API.md', 'package.json', 'package-lock.json', '.projen', '.gitignore', '.npmignore', 'tsconfig.json', 'test/tsconfig.json', 'examples/*/dist', 'examples/*/routes.md', 'docs', '.github', '.gitattributes'];

const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', ...GENERATED], { encoding: 'utf-8' });
if (status.trim().length > 0) {
  process.stderr.write(
    'Generated files differ from the commit (regenerate, read the diff, commit it):\n'
    + status
    + execFileSync('git', ['diff', '--stat', '--', ...GENERATED], { encoding: 'utf-8' }),
  );
  process.exit(1);
}
process.stdout.write(`No drift in ${GENERATED.join(', ')}\n`);
