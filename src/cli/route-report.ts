#!/usr/bin/env node
/**
 * `cdk8s-seldon-istio-routes [--out FILE] <file.yaml | dir>...`: prints the route report
 * (Markdown table and Mermaid flowchart) of the VirtualServices and SeldonDeployments in
 * the given YAML files, or in every .yaml/.yml file of the given directories.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { RouteReport } from '../route-report';

function yamlFiles(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs.readdirSync(target).sort()
    .filter(f => /\.ya?ml$/.test(f))
    .map(f => path.join(target, f));
}

function main(args: string[]): number {
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const targets = args.filter((_, i) => outIndex < 0 || (i !== outIndex && i !== outIndex + 1));
  if (targets.length === 0 || args.includes('--help')) {
    process.stderr.write('usage: cdk8s-seldon-istio-routes [--out FILE] <file.yaml | dir>...\n');
    return targets.length === 0 ? 2 : 0;
  }
  const manifests = targets.flatMap(yamlFiles).flatMap(file => Yaml.load(path.resolve(file)));
  const report = RouteReport.fromManifests(manifests).toDocument(`Routes of ${targets.join(', ')}`);
  if (out) fs.writeFileSync(out, report);
  else process.stdout.write(report);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
