/**
 * Rules are neither too weak nor invented: every rule that says it mirrors Istio's validation
 * or an istioctl analyzer is backed by a raw manifest in scripts/validators/negative/ that
 * breaks it, and that fixture's header says which real tool refuses it. CI's negative.sh runs
 * each fixture through istioctl validate, istioctl analyze and kubectl-validate and fails when
 * a tool's verdict differs from the header, so the two together tie each catalogued rule to the
 * real validator's behaviour. Rules that upstream accepts are marked policy in the catalogue.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES, RuleSource } from '../../src/rules/rule';
import '../../src';

const FIXTURES = path.join(__dirname, '..', '..', 'scripts', 'validators', 'negative');

/** Istio rules without a raw-manifest fixture, and why. */
const WITHOUT_FIXTURE: Record<string, string> = {
  ISV014: 'policy: upstream accepts it',
  ISV015: 'required fields: sdep-missing-required-fields and the CRD schemas in the fuzzing test',
  SEC002: 'Istio accepts http:// jwksUri; the https part is policy, the URL parse is Istio\'s',
  SEC003: 'empty audience/location values: Istio validateJwtRule; no fixture yet',
  SEC005: 'empty values in authorization rules: Istio CheckEmptyValues; no fixture yet',
  EGR002: 'ServiceEntry hosts: Istio ValidateServiceEntry; no fixture yet',
};

interface Fixture { readonly name: string; readonly ids: string[]; readonly refusedBy: string[] }

function fixtures(): Fixture[] {
  return fs.readdirSync(FIXTURES).filter(f => f.endsWith('.yaml')).sort().map(f => {
    const text = fs.readFileSync(path.join(FIXTURES, f), 'utf-8');
    const catalogue = /^# catalogue: (.*)$/m.exec(text)?.[1] ?? '';
    return {
      name: f,
      ids: catalogue.startsWith('-') ? [] : catalogue.split(/\s+/).filter(Boolean),
      refusedBy: [...text.matchAll(/^# (istioctl-validate|istioctl-analyze|kubectl-validate): refuses/gm)].map(m => m[1]),
    };
  });
}

describe('catalogued rules against the real validators', () => {
  const all = fixtures();
  const ids = new Set(RULES.map(r => r.id));

  test('every fixture names catalogue rules that exist (or says why none applies)', () => {
    for (const f of all) {
      for (const id of f.ids) expect(`${f.name}: ${id}`).toEqual(`${f.name}: ${ids.has(id) ? id : `unknown rule ${id}`}`);
    }
  });

  test('every Istio validation and analyzer rule has a fixture that a real tool refuses, or a stated reason', () => {
    const missing = RULES
      .filter(r => r.source === RuleSource.ISTIO_VALIDATION || r.source === RuleSource.ISTIO_ANALYZER)
      .filter(r => !all.some(f => f.ids.includes(r.id) && f.refusedBy.length > 0))
      .filter(r => WITHOUT_FIXTURE[r.id] === undefined)
      .map(r => r.id);
    expect(missing).toEqual([]);
  });

  test('fixtures that no tool refuses back policy rules only', () => {
    for (const f of all.filter(x => x.refusedBy.length === 0)) {
      for (const id of f.ids) {
        const rule = RULES.find(r => r.id === id)!;
        // ISV001 refuses weights < 0 (Istio) and > 100 (policy); its fixture for > 100 is accepted upstream.
        expect([f.name, id, rule.source === RuleSource.POLICY || rule.description.includes('policy')]).toEqual([f.name, id, true]);
      }
    }
  });
});
