/**
 * The release workflow projen writes: on every push to main it versions from the conventional
 * commits and publishes the four packages with publib, each with its secrets named (never stored).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const workflow = parse(fs.readFileSync(path.join(__dirname, '..', '.github', 'workflows', 'release.yml'), 'utf-8'));
const jobs: Record<string, any> = workflow.jobs;
const runs = (job: string) => (jobs[job]?.steps ?? []).map((s: any) => s.run ?? '').join('\n');
const secretsOf = (job: string) => [...JSON.stringify(jobs[job]).matchAll(/secrets\.([A-Z0-9_]+)/g)].map(m => m[1]).sort();

test('runs on pushes to the default branch and computes the version with projen release', () => {
  expect(workflow.on.push.branches).toEqual(['main']);
  expect(runs('release')).toContain('npx projen release');
});

test.each([
  ['release_npm', 'publib-npm', ['NPM_TOKEN']],
  ['release_pypi', 'publib-pypi', ['TWINE_PASSWORD', 'TWINE_USERNAME']],
  ['release_maven', 'publib-maven', ['MAVEN_GPG_PRIVATE_KEY', 'MAVEN_GPG_PRIVATE_KEY_PASSPHRASE', 'MAVEN_PASSWORD', 'MAVEN_USERNAME']],
  ['release_golang', 'publib-golang', ['GO_GITHUB_TOKEN']],
])('%s publishes with %s after the release job, with the secrets %j', (job, command, secrets) => {
  expect(jobs[job].needs).toContain('release');
  expect(runs(job)).toContain(command);
  expect(secretsOf(job)).toEqual(expect.arrayContaining(secrets));
  // Secrets are referenced by name only: no token-like literal in the job.
  expect(JSON.stringify(jobs[job])).not.toMatch(/npm_[A-Za-z0-9]{20,}|ghp_[A-Za-z0-9]{20,}|pypi-[A-Za-z0-9]{20,}/);
});

test('Maven goes to Central and Go to the module repository of the jsii go target', () => {
  expect(JSON.stringify(jobs.release_maven)).toContain('central-ossrh');
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));
  expect(pkg.jsii.targets.go.moduleName).toBe('github.com/cdk8s-seldon-istio/cdk8s-seldon-istio-go');
  expect(JSON.stringify(jobs.release_golang)).toContain('GIT_USER_NAME');
});
