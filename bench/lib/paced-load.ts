// Paced load for one URL, run in its own process by bench/scenarios/api.ts: N clients, each on its
// own keep-alive connection, each asking `rate` times a second at its own random phase (as
// independent browsers or scripts do), for a fixed time. Latency counts from when each request was
// due, so a client held up by a slow answer is charged for the wait (no coordinated omission).
//
// autocannon's --connectionRate does neither: its clients start together and tick on the same
// second (every client's request lands in the same millisecond), and its latency correction
// assumes requests 1 ms apart. Flat-out runs still use autocannon.
//
//   tsx bench/lib/paced-load.ts --url URL --connections 200 --rate 1 --seconds 10 \
//       --out result.json [--header name=value ...] [--seed N] [--samples]
// Writes a PacedLoadResult as JSON to --out.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

export interface PacedLoadResult {
  connections: number;
  ratePerClient: number;
  seconds: number;
  /** Requests due in the window that got a whole answer. */
  requests: number;
  /** Transport failures and 10 s timeouts. */
  errors: number;
  non2xx: number;
  bytes: number;
  /** From when each request was due to the last byte of its answer, ms (nearest rank). */
  latency: { p50: number; p90: number; p99: number; max: number };
  /** Every answer's latency, ms, when asked for (`--samples`): runs pooled by the bench. */
  samples?: number[];
}

const TIMEOUT_MS = 10_000;

/** mulberry32: a small seeded generator, so the phases are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  // To a tenth of a millisecond: the paced runs' p99s are a few ms, where whole milliseconds would
  // put up to ±20 % of rounding into the ratio targets (AUTH=on over AUTH=off).
  return Math.round((sorted[Math.min(rank, sorted.length) - 1] ?? 0) * 10) / 10;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function get(
  url: string,
  agent: http.Agent,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export async function pacedLoad(options: {
  url: string;
  connections: number;
  ratePerClient: number;
  seconds: number;
  headers?: Record<string, string>;
  seed?: number;
  /** Keep every latency in the result (`samples`). */
  samples?: boolean;
}): Promise<PacedLoadResult> {
  const { url, connections, ratePerClient, seconds } = options;
  const headers = options.headers ?? {};
  const period = 1000 / ratePerClient;
  const phase = random(options.seed ?? 1);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let bytes = 0;
  const start = performance.now() + period; // a period to open the connections' first requests
  const end = start + seconds * 1000;

  async function client(agent: http.Agent, firstDue: number): Promise<void> {
    for (let due = firstDue; due < end; due += period) {
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      // Behind schedule (the last answer took longer than a period): ask at once; the wait counts.
      try {
        const answer = await get(url, agent, headers);
        latencies.push(performance.now() - due);
        bytes += answer.bytes;
        if (answer.status < 200 || answer.status > 299) non2xx += 1;
      } catch {
        errors += 1;
      }
    }
  }

  const agents = Array.from(
    { length: connections },
    () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
  );
  await Promise.all(agents.map((agent) => client(agent, start + phase() * period)));
  for (const agent of agents) agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    connections,
    ratePerClient,
    seconds,
    requests: latencies.length,
    errors,
    non2xx,
    bytes,
    latency: {
      p50: nearestRank(sorted, 50),
      p90: nearestRank(sorted, 90),
      p99: nearestRank(sorted, 99),
      max: nearestRank(sorted, 100),
    },
    ...(options.samples ? { samples: sorted.map((ms) => Math.round(ms * 1000) / 1000) } : {}),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      header: { type: 'string', multiple: true },
      seed: { type: 'string' },
      samples: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (!values.url || !values.out) throw new Error('--url and --out are required');
  const headers: Record<string, string> = {};
  for (const line of values.header ?? []) {
    const at = line.indexOf('=');
    if (at > 0) headers[line.slice(0, at)] = line.slice(at + 1);
  }
  const result = await pacedLoad({
    url: values.url,
    connections: Number(values.connections ?? 1),
    ratePerClient: Number(values.rate ?? 1),
    seconds: Number(values.seconds ?? 10),
    headers,
    seed: Number(values.seed ?? 1),
    samples: values.samples === true,
  });
  writeFileSync(values.out, `${JSON.stringify(result)}\n`);
}

if (process.argv[1] && /paced-load\.[cm]?[jt]s$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
