/**
 * A real Prometheus server for tests and recorded docs: Debian's `prometheus`, started on a free
 * port with a config written here, scraping an exporter served here whose Istio series grow at 10
 * requests per second per variant, with an error share each caller can change while it runs.
 * No HTTP is mocked.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** The Istio label matchers of one variant as the destination sidecar reports it (RolloutHealth selects these). */
export function istioSelector(namespace: string, service: string, version: string): string {
  return `reporter="destination",destination_workload_namespace="${namespace}",destination_service_name="${service}",destination_version="${version}"`;
}

/** One variant's series: its selector, and the share of its answers that are 5xx from now on. */
export interface ExportedVariant {
  readonly selector: string;
  errors: number;
}

/**
 * Counters that grow at 10 requests per second from start; the 5xx share is applied to the
 * requests counted since it was last changed, so a change shows in the rates at once.
 */
class IstioExporter {
  public readonly server: http.Server;
  private readonly counts = new Map<string, { ok: number; bad: number; at: number; errors: number }>();

  constructor(private readonly variants: ExportedVariant[]) {
    const start = Date.now();
    for (const v of variants) this.counts.set(v.selector, { ok: 0, bad: 0, at: start, errors: v.errors });
    this.server = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.metrics()));
  }

  private metrics(): string {
    const now = Date.now();
    const lines = ['# TYPE istio_requests_total counter', '# TYPE istio_request_duration_milliseconds histogram'];
    for (const v of this.variants) {
      const c = this.counts.get(v.selector)!;
      const fresh = Math.floor((now - c.at) / 100);
      const bad = Math.round(fresh * v.errors);
      c.ok += fresh - bad;
      c.bad += bad;
      c.at += fresh * 100;
      const requests = c.ok + c.bad;
      lines.push(`istio_requests_total{${v.selector},response_code="200"} ${c.ok}`);
      lines.push(`istio_requests_total{${v.selector},response_code="500"} ${c.bad}`);
      for (const le of ['100', '250', '500', '+Inf']) lines.push(`istio_request_duration_milliseconds_bucket{${v.selector},le="${le}"} ${requests}`);
      lines.push(`istio_request_duration_milliseconds_sum{${v.selector}} ${requests * 40}`, `istio_request_duration_milliseconds_count{${v.selector}} ${requests}`);
    }
    return lines.join('\n') + '\n';
  }
}

/** A running Prometheus and its exporter. */
export interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts Prometheus (1 s scrape and evaluation) with the rule groups, scraping an exporter of the
 * variants; resolves once it holds 5 scrapes and has evaluated the rules over them.
 */
export async function startPrometheus(groups: any[], variants: ExportedVariant[]): Promise<RunningPrometheus> {
  try {
    execFileSync('prometheus', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the prometheus server is needed (Debian: apt-get install prometheus; .ci/run installs it)');
  }
  const exporter = new IstioExporter(variants);
  const exporterPort = await freePort();
  await new Promise<void>(resolve => exporter.server.listen(exporterPort, '127.0.0.1', resolve));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
  fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups }));
  fs.writeFileSync(path.join(dir, 'prometheus.yaml'), stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [path.join(dir, 'rules.yaml')],
    scrape_configs: [{ job_name: 'exporter', static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] }],
  }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prometheus: ChildProcess = spawn('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yaml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: 'ignore' });
  const stop = async () => {
    prometheus.kill();
    await new Promise(r => exporter.server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ready when Prometheus holds at least 5 scrapes of the exporter, so every rate spans several
  // seconds (a rate over two early samples could round 10 % of errors to none).
  const query = `${url}/api/v1/query?query=${encodeURIComponent('count_over_time(up{job="exporter"}[1m]) >= 5')}`;
  for (let i = 0; i < 120; i++) {
    try {
      const body = await (await fetch(query)).json() as any;
      if (body.data?.result?.length > 0) {
        // and the rules have been evaluated over them
        await new Promise(r => setTimeout(r, 2000));
        return { url, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  throw new Error('Prometheus recorded no series within 60 s');
}
