// GET /api/status under load, the client in its own process (so the demo cluster in this one
// cannot slow it down), at 50 and 200 concurrent connections: paced loads with lib/paced-load.ts
// (each client at its own phase, latency from when a request was due), flat out with autocannon.
//
// Several consoles (AUTH=off and AUTH=on) run side by side and are compared in the same run: each
// paced load runs in rounds that alternate between them (A B, B A, A B, …) and each console's
// figures are over its pooled answers, so that drift in the machine's load and where the polls
// and the garbage collector happen to fall land on every console alike, not on whichever ran
// second. A p99 of a few milliseconds from one 10 s run moves by half itself from run to run.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RunningConsole } from '../lib/console';
import { nearestRank, type PacedLoadResult } from '../lib/paced-load';
import { ProcSampler } from '../lib/proc-stats';
import { spawnTracked } from '../lib/processes';
import { round } from '../lib/stats';

/** Clients, each sending `ratePerClient` requests a second, or back to back when null. */
export interface Load {
  connections: number;
  ratePerClient: number | null;
  /** Sent as Accept-Encoding (browsers send `gzip, deflate, br, zstd`); none when absent. */
  acceptEncoding?: string;
  /** What is asked for; `/api/status` when absent (`/api/healthz` gives the floor to compare with). */
  path?: string;
}

export interface LoadRun extends Load {
  /** Seconds of load on this console, over all its rounds. */
  seconds: number;
  /** Paced: the rounds this console's figures pool (each `seconds / rounds` long); flat out: 1. */
  rounds: number;
  /** Each round's own p99, ms, in the order run: how far one round alone would have moved it. */
  roundP99Ms: number[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requestsPerSecond: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Peak RSS of the console during the run. */
  consolePeakRssBytes: number;
  /** 1-minute load average of the machine when the run started (other work skews the figures). */
  loadAverage: number;
}

export interface ApiResult {
  auth: 'on' | 'off';
  payloadBytes: number;
  /** As served with `accept-encoding: gzip`; `payloadEncoding` says whether the server compressed. */
  payloadGzipBytes: number;
  payloadEncoding: string | null;
  nodes: number;
  replicas: number;
  runs: LoadRun[];
}

interface AutocannonJson {
  duration: number;
  /** Paced runs only (ours, not autocannon's own `samples`, a count): every answer's latency, ms. */
  latencies?: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
}

let runs = 0;

/** The paced load (lib/paced-load.ts) in its own process, with this process's tsx loader. */
async function pacedLoad(
  root: string,
  workDir: string,
  target: RunningConsole,
  load: Load & { ratePerClient: number },
  seconds: number,
  seed: number,
): Promise<AutocannonJson> {
  const name = `paced-${++runs}-${load.connections}`;
  const out = path.join(workDir, `${name}.json`);
  const headers = {
    ...(target.cookie ? { cookie: target.cookie } : {}),
    ...(load.acceptEncoding ? { 'accept-encoding': load.acceptEncoding } : {}),
  };
  const args = [
    ...process.execArgv,
    path.join(root, 'bench', 'lib', 'paced-load.ts'),
    '--url',
    `${target.url}${load.path ?? '/api/status'}`,
    '--connections',
    String(load.connections),
    '--rate',
    String(load.ratePerClient),
    '--seconds',
    String(seconds),
    '--seed',
    String(seed),
    '--samples',
    '--out',
    out,
    ...Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}=${value}`]),
  ];
  const logFile = path.join(workDir, `${name}.log`);
  const proc = spawnTracked('paced load', process.execPath, args, { logFile });
  const { code } = await proc.exited;
  await proc.stop();
  if (code !== 0 || !existsSync(out))
    throw new Error(
      `paced load exited with ${code}: ${readFileSync(logFile, 'utf8').slice(0, 500)}`,
    );
  const result = JSON.parse(readFileSync(out, 'utf8')) as PacedLoadResult;
  return {
    duration: result.seconds,
    errors: result.errors,
    timeouts: 0,
    non2xx: result.non2xx,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    requests: { average: result.requests / result.seconds, total: result.requests },
    latencies: result.samples ?? [],
  };
}

async function autocannon(
  root: string,
  workDir: string,
  target: RunningConsole,
  load: Load,
  seconds: number,
): Promise<AutocannonJson> {
  const out = path.join(workDir, `autocannon-${++runs}-${load.connections}.json`);
  const args = [
    path.join(root, 'node_modules', 'autocannon', 'autocannon.js'),
    '--json',
    '--connections',
    String(load.connections),
    '--duration',
    String(seconds),
    ...(target.cookie ? ['--headers', `cookie=${target.cookie}`] : []),
    ...(load.acceptEncoding ? ['--headers', `accept-encoding=${load.acceptEncoding}`] : []),
    `${target.url}${load.path ?? '/api/status'}`,
  ];
  const proc = spawnTracked('autocannon', process.execPath, args, { logFile: out });
  const { code } = await proc.exited;
  await proc.stop();
  const text = readFileSync(out, 'utf8');
  const json = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .pop();
  if (code !== 0 || !json) throw new Error(`autocannon exited with ${code}: ${text.slice(0, 500)}`);
  return JSON.parse(json) as AutocannonJson;
}

/**
 * Bytes on the wire of one response body, as sent to a client that accepts gzip. A gzip body must
 * unzip to the JSON document: a body compressed twice, or without its header, fails the run.
 */
function servedBytes(
  url: string,
  headers: Record<string, string>,
): Promise<{ bytes: number; encoding: string | null }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { ...headers, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'] ?? null;
        try {
          JSON.parse((encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
        } catch (error) {
          reject(
            new Error(
              `GET /api/status with accept-encoding gzip (content-encoding ${encoding ?? 'none'}) is not JSON: ${(error as Error).message}`,
            ),
          );
          return;
        }
        resolve({ bytes: body.length, encoding });
      });
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** The document each console serves, and the cluster's size. */
async function documentOf(target: RunningConsole): Promise<Omit<ApiResult, 'runs'>> {
  const headers: Record<string, string> = target.cookie ? { cookie: target.cookie } : {};
  const res = await fetch(`${target.url}/api/status`, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  // The cluster's size from the full document (`?nodes=all`, for scripts): the default one holds
  // only the nodes that matter.
  const full = (await (await fetch(`${target.url}/api/status?nodes=all`, { headers })).json()) as {
    dtr: { replicas: unknown[] };
    ucp: { nodes: unknown[] };
  };
  const served = await servedBytes(`${target.url}/api/status`, headers);
  return {
    auth: target.auth,
    payloadBytes: body.length,
    payloadGzipBytes: served.encoding === 'gzip' ? served.bytes : gzipSync(body).length,
    payloadEncoding: served.encoding,
    nodes: full.ucp.nodes.length,
    replicas: full.dtr.replicas.length,
  };
}

/** One console's share of a load: what it answered, in one or more rounds. */
class Tally {
  readonly samples: number[] = [];
  seconds = 0;
  rounds = 0;
  readonly roundP99: number[] = [];
  requests = 0;
  errors = 0;
  non2xx = 0;
  peakRss = 0;
  p50 = 0;
  p99 = 0;
  max = 0;

  add(result: AutocannonJson, peakRss: number): void {
    this.rounds += 1;
    this.roundP99.push(result.latency.p99);
    this.seconds += result.duration;
    this.requests += result.requests.total;
    this.errors += result.errors + result.timeouts;
    this.non2xx += result.non2xx;
    this.peakRss = Math.max(this.peakRss, peakRss);
    if (result.latencies) this.samples.push(...result.latencies);
    else ({ p50: this.p50, p99: this.p99, max: this.max } = result.latency);
  }

  latency(): { p50: number; p99: number; max: number } {
    if (this.samples.length === 0) return { p50: this.p50, p99: this.p99, max: this.max };
    const sorted = this.samples.sort((a, b) => a - b);
    return {
      p50: nearestRank(sorted, 50),
      p99: nearestRank(sorted, 99),
      max: nearestRank(sorted, 100),
    };
  }
}

/**
 * Every load on every console given: flat-out loads once per console in turn, paced loads in
 * `rounds` rounds of `seconds` per console, alternating the order (A B, B A, …), pooled.
 */
export async function runApi(options: {
  root: string;
  workDir: string;
  /** For the progress lines. */
  label: string;
  targets: readonly RunningConsole[];
  loads: readonly Load[];
  seconds: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<ApiResult[]> {
  const { root, workDir, label, targets, seconds, rounds, log } = options;
  const documents = [];
  for (const target of targets) documents.push(await documentOf(target));
  const runs = targets.map((): LoadRun[] => []);

  for (const target of targets) {
    log(`api (${label}, AUTH=${target.auth}): warm-up`);
    await autocannon(root, workDir, target, { connections: 10, ratePerClient: null }, 3);
  }
  for (const load of options.loads) {
    const pace = load.ratePerClient ? `${load.ratePerClient} req/s each` : 'back to back';
    const coding = load.acceptEncoding ? `, accept-encoding ${load.acceptEncoding}` : '';
    const tallies = targets.map(() => new Tally());
    const loadAverages = targets.map((): number | null => null);
    const { ratePerClient } = load;
    const passes = ratePerClient ? rounds : 1;
    for (let pass = 0; pass < passes; pass++) {
      const order = targets.map((_, i) => i);
      if (pass % 2 === 1) order.reverse();
      for (const i of order) {
        const target = targets[i]!;
        log(
          `api (${label}, AUTH=${target.auth}): GET ${load.path ?? '/api/status'}, ${load.connections} clients, ${pace}${coding}, for ${seconds} s${passes > 1 ? ` (round ${pass + 1} of ${passes})` : ''}`,
        );
        loadAverages[i] ??= round(os.loadavg()[0] ?? 0, 2) as number;
        const sampler = new ProcSampler(target.pid, 500).start();
        const result = ratePerClient
          ? await pacedLoad(root, workDir, target, { ...load, ratePerClient }, seconds, pass + 1)
          : await autocannon(root, workDir, target, load, seconds);
        sampler.stop();
        tallies[i]!.add(result, sampler.peakRss());
      }
    }
    tallies.forEach((tally, i) => {
      const latency = tally.latency();
      runs[i]!.push({
        ...load,
        loadAverage: loadAverages[i] ?? 0,
        seconds: tally.seconds,
        rounds: tally.rounds,
        roundP99Ms: tally.roundP99,
        p50Ms: latency.p50,
        p99Ms: latency.p99,
        maxMs: latency.max,
        requestsPerSecond: round(tally.requests / tally.seconds) as number,
        requests: tally.requests,
        errors: tally.errors,
        non2xx: tally.non2xx,
        consolePeakRssBytes: tally.peakRss,
      });
    });
  }
  return documents.map((document, i) => ({ ...document, runs: runs[i]! }));
}
