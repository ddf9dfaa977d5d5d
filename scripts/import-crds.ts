/**
 * Regenerates `src/imports/` from the CRDs vendored in `imports/`, offline.
 *
 * Why a script and not a bare `cdk8s import`:
 * - each vendored file is checked against the sha256 in `imports/provenance.json` first, so the
 *   generated code always comes from the bytes the provenance describes;
 * - only one served version per group is imported (`importedVersions`): the Istio CRDs serve
 *   v1, v1beta1 and v1alpha3 with identical schemas, and the Seldon CRD's three versions would
 *   triple the generated code (~74k lines). Other versions are emitted by overriding apiVersion;
 * - `cdk8s import` writes one file per API group, so the CRDs of a group are imported together
 *   from one multi-document file (importing them one by one would overwrite each other).
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

interface ProvenanceEntry {
  readonly file: string;
  readonly group: string;
  readonly sha256: string;
}

interface Provenance {
  readonly importedVersions: Record<string, string>;
  readonly files: ProvenanceEntry[];
}

const root = path.resolve(__dirname, '..');
const outdir = path.join(root, 'src', 'imports');
const provenance: Provenance = JSON.parse(fs.readFileSync(path.join(root, 'imports', 'provenance.json'), 'utf-8'));

function verifiedCrds(entry: ProvenanceEntry): any[] {
  const bytes = fs.readFileSync(path.join(root, entry.file));
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== entry.sha256) {
    throw new Error(`${entry.file}: sha256 ${actual} does not match imports/provenance.json (${entry.sha256}); vendored CRDs must stay byte-identical to upstream`);
  }
  return parseAllDocuments(bytes.toString('utf-8'))
    .map(doc => doc.toJS())
    .filter(doc => doc?.kind === 'CustomResourceDefinition');
}

function keepOneVersion(crd: any, version: string): any {
  const versions = (crd.spec.versions as any[]).filter(v => v.name === version);
  if (versions.length !== 1) {
    throw new Error(`${crd.metadata.name}: does not serve version ${version}`);
  }
  // The imported version becomes the only (and so the storage) version of this copy.
  return { ...crd, spec: { ...crd.spec, versions: [{ ...versions[0], storage: true }] } };
}

function main() {
  const groups = new Map<string, any[]>();
  for (const entry of provenance.files) {
    const version = provenance.importedVersions[entry.group];
    if (!version) throw new Error(`${entry.file}: no imported version declared for group ${entry.group}`);
    const crds = verifiedCrds(entry).map(crd => keepOneVersion(crd, version));
    groups.set(entry.group, [...(groups.get(entry.group) ?? []), ...crds]);
  }

  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  try {
    for (const [group, crds] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      crds.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      const file = path.join(workdir, `${group}.yaml`);
      fs.writeFileSync(file, crds.map(crd => stringify(crd)).join('---\n'));
      execFileSync('cdk8s', ['import', file, '--output', outdir, '--language', 'typescript', '--no-save', '--no-check-upgrade'], {
        cwd: workdir,
        stdio: 'inherit',
      });
    }
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}

main();
