/**
 * JSON-schema validators for manifests, from the CRDs vendored in imports/ (the same files the
 * imports are generated from). Each CRD's openAPIV3Schema is made strict the way the API
 * server's strict field validation (and kubectl-validate) is: a field the schema does not
 * declare is an error, unless the schema preserves unknown fields.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import { parseAllDocuments } from 'yaml';

const CRDS = path.join(__dirname, '..', '..', 'imports');

function crdFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? crdFiles(p) : /\.ya?ml$/.test(e.name) ? [p] : [];
  }).sort();
}

/** Closes every object schema that declares properties and does not preserve unknown fields. */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) out[k] = strict(v);
  if (out.properties && !out['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  // Kubernetes' int-or-string is an OpenAPI extension; JSON schema needs it spelled out.
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = out.anyOf ?? [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

/** A validator per `apiVersion/kind` of every served version of every vendored CRD. */
export function crdValidators(): Map<string, ValidateFunction> {
  // Kubernetes checks `pattern` with Go's regexp (RE2): the Prometheus Operator's CRDs use RE2
  // syntax such as `(?i)` that JavaScript's RegExp refuses. The same engine in JavaScript: re2js.
  const re2 = Object.assign(
    (pattern: string) => {
      const compiled = RE2JS.compile(pattern);
      return { test: (value: string) => compiled.matcher(value).find() };
    },
    { code: 're2js' },
  );
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: re2 as any } });
  const validators = new Map<string, ValidateFunction>();
  for (const file of crdFiles(CRDS)) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJS())) {
      if (doc?.kind !== 'CustomResourceDefinition') continue;
      for (const version of doc.spec.versions) {
        if (!version.served || !version.schema?.openAPIV3Schema) continue;
        const schema = strict(version.schema.openAPIV3Schema);
        // apiVersion, kind and metadata (ObjectMeta) belong to every object; CRDs rarely describe them.
        schema.properties = { ...schema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
        validators.set(`${doc.spec.group}/${version.name}/${doc.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

/** The schema errors of one manifest, or undefined when no vendored CRD describes its kind. */
export function schemaErrors(validators: Map<string, ValidateFunction>, manifest: any): string[] | undefined {
  const validate = validators.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (!validate) return undefined;
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(e => `${manifest.kind} ${manifest.metadata?.name}: ${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}
