import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Synthesis of a whole app in one pass, with cdk8s's public API only.
 *
 * `App.synth()` and `App.synthYaml()` render each chart with `chart.toJson()`, which resolves the
 * dependencies and runs every validation of the *whole app* again before rendering that chart: an
 * app of C charts is checked C + 1 times, which grows as O(C × N). This class resolves and
 * validates once, then renders every chart's objects in the order cdk8s would: the output is
 * byte-identical (`test/one-pass-synthesis.test.ts` proves it on every example and docs sample).
 * It fixes the cost for every construct of the app, not only this library's.
 *
 * @example
 * // main.ts of a cdk8s app with many charts: instead of app.synth()
 * OnePassSynthesis.synth(app);
 */
export class OnePassSynthesis {
  /** The app's YAML, as `app.synthYaml()` returns it. */
  public static synthYaml(app: App): string {
    const constructs = app.node.findAll();
    resolveDependencies(constructs);
    validate(constructs);
    return Yaml.stringify(...app.charts.flatMap(chart => objectsOf(chart).map(o => o.toJson())));
  }

  /**
   * Writes the app's files, as `app.synth()` does, for the output types that write YAML per chart
   * or per app (`FILE_PER_CHART`, the default, and `FILE_PER_APP`). Other output types, and
   * construct metadata asked by `CDK8S_RECORD_CONSTRUCT_METADATA=true`, are left to `app.synth()`,
   * which this then calls. (An app created with the `recordConstructMetadata` prop keeps it private:
   * call `app.synth()` for it.)
   */
  public static synth(app: App): void {
    const metadata = process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
    if (metadata || ![YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_APP].includes(app.yamlOutputType)) {
      app.synth();
      return;
    }
    fs.mkdirSync(app.outdir, { recursive: true });
    const constructs = app.node.findAll();
    // The order of App.synth: validate, then resolve the dependencies.
    validate(constructs);
    const dependantCharts = resolveDependencies(constructs);
    const charts = app.charts;
    if (app.yamlOutputType === YamlOutputType.FILE_PER_APP) {
      if (charts.length > 0) {
        Yaml.save(path.join(app.outdir, `app${app.outputFileExtension}`), charts.flatMap(chart => objectsOf(chart).map(o => o.toJson())));
      }
      return;
    }
    charts.forEach((chart, index) => {
      // cdk8s numbers the files (0000-<chart>) as soon as one chart depends on another.
      const name = dependantCharts ? `${String(index).padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart);
      Yaml.save(path.join(app.outdir, name + app.outputFileExtension), objectsOf(chart).map(o => o.toJson()));
    });
  }

  private constructor() {}
}

/** Every validation of the app, once, with cdk8s's error format. */
function validate(constructs: IConstruct[]): void {
  const errors = constructs.flatMap(c => c.node.validate().map(e => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * The dependencies cdk8s derives before rendering: nested charts and construct dependencies across
 * charts become chart dependencies, and construct dependencies become dependencies between their
 * ApiObjects (which order the objects of a chart). Returns true when a chart depends on another.
 */
function resolveDependencies(constructs: IConstruct[]): boolean {
  let dependantCharts = false;
  for (const parent of constructs.filter((c): c is Chart => c instanceof Chart)) {
    for (const child of parent.node.children.filter(c => c instanceof Chart)) {
      parent.node.addDependency(child);
      dependantCharts = true;
    }
  }
  const dependencies = constructs.flatMap(source => source.node.dependencies.map(target => ({ source, target })));
  for (const { source, target } of dependencies) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      dependantCharts = true;
    }
  }
  // Read again: the chart dependencies just added count, as in cdk8s.
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      const targetObjects = target.node.findAll().filter(c => c instanceof ApiObject && Chart.of(c) === Chart.of(target));
      const sourceObjects = source.node.findAll().filter(c => c instanceof ApiObject && Chart.of(c) === Chart.of(source));
      for (const t of targetObjects) {
        for (const s of sourceObjects) if (t !== s) s.node.addDependency(t);
      }
    }
  }
  return dependantCharts;
}

/** The ApiObjects of `chart` (not of its nested charts), dependencies first, as cdk8s orders them. */
function objectsOf(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}
