// Command-line flags of `npm run bench`.
import { parseArgs } from 'node:util';

export const SCENARIOS = ['page-weight', 'fan-in', 'detection', 'api', 'soak', 'sse'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchArgs {
  quick: boolean;
  trials: number;
  fanInSeconds: number;
  viewers: number;
  apiSeconds: number;
  apiRounds: number;
  soakMinutes: number;
  only: Set<Scenario>;
  build: boolean;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--trials N] [--fan-in-seconds N] [--viewers N]
                      [--api-seconds N] [--api-rounds N] [--soak-minutes N] [--only LIST] [--no-build]

  --quick             shorter windows: fan-in 20 s per viewer count, soak 1 minute
  --trials N          detection trials per fault kind (default 20)
  --fan-in-seconds N  counting window per viewer count (default 60; --quick 20)
  --viewers N         SSE viewers in the crowded fan-in run (default 200)
  --api-seconds N     length of each /api/status load run (default 10)
  --api-rounds N      rounds of each paced load on the 2,000-node demo, alternating AUTH=off
                      and AUTH=on, pooled (default 3)
  --soak-minutes N    memory/CPU soak length (default 10; --quick 1)
  --only LIST         comma-separated subset of: ${SCENARIOS.join(', ')}
  --no-build          use the existing .next build even when the sources are newer`;

function whole(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value < min)
    throw new Error(`--${flag} must be a number ≥ ${min}, got "${raw}"`);
  return value;
}

export function parseBenchArgs(argv: string[]): BenchArgs | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      trials: { type: 'string' },
      'fan-in-seconds': { type: 'string' },
      viewers: { type: 'string' },
      'api-seconds': { type: 'string' },
      'api-rounds': { type: 'string' },
      'soak-minutes': { type: 'string' },
      only: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const quick = values.quick ?? false;
  const only = new Set<Scenario>();
  for (const name of (values.only ?? SCENARIOS.join(',')).split(',')) {
    const trimmed = name.trim();
    if (!(SCENARIOS as readonly string[]).includes(trimmed))
      throw new Error(`--only: unknown scenario "${trimmed}" (one of ${SCENARIOS.join(', ')})`);
    only.add(trimmed as Scenario);
  }
  return {
    quick,
    trials: Math.round(whole('trials', values.trials, 20, 1)),
    fanInSeconds: whole('fan-in-seconds', values['fan-in-seconds'], quick ? 20 : 60, 5),
    viewers: Math.round(whole('viewers', values.viewers, 200, 2)),
    apiSeconds: whole('api-seconds', values['api-seconds'], 10, 1),
    apiRounds: Math.round(whole('api-rounds', values['api-rounds'], 3, 1)),
    soakMinutes: whole('soak-minutes', values['soak-minutes'], quick ? 1 : 10, 0.1),
    only,
    build: !(values['no-build'] ?? false),
  };
}
