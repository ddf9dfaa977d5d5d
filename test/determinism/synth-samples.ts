/**
 * Prints the YAML of every docs sample and of the fuzzing-style mix of patterns, for
 * test/determinism.test.ts, which runs this in separate processes and compares the output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

const SAMPLES = path.join(__dirname, '..', 'docs', 'samples');
for (const file of fs.readdirSync(SAMPLES).filter(f => f !== 'common.ts').sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sample = require(path.join(SAMPLES, file));
  const app = new App({ outdir: '/dev/null' });
  sample.build(app);
  process.stdout.write(`# ${file}\n${app.synthYaml()}`);
}
