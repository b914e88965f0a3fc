// How long a failed replica keeps receiving traffic, for each kind of load balancer.
import { LB_OPTION_DEFAULTS, type LbKind } from './option-values';
import type { LbOptions } from './options';

export interface FailoverEstimate {
  kind: LbKind;
  /** Seconds until a failed replica is out of the pool; null when it depends on traffic (NGINX). */
  seconds: number | null;
  /** One sentence, e.g. "A failed replica leaves the pool after ~17 s." */
  summary: string;
  /** How that comes about, and what it does not cover. */
  detail: string;
}

export type FailoverOptions = Pick<LbOptions, 'kind'> &
  Partial<
    Pick<
      LbOptions,
      | 'checkScheme'
      | 'checkIntervalMs'
      | 'checkTimeoutMs'
      | 'rise'
      | 'fall'
      | 'failTimeoutMs'
      | 'connectTimeoutMs'
    >
  >;

/** 17000 → "17 s", 2500 → "2.5 s". */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function times(count: number, word: string, plural = `${word}s`): string {
  return `${count} ${count === 1 ? word : plural}`;
}

export function failoverSeconds(options: FailoverOptions): FailoverEstimate {
  const o = {
    kind: options.kind,
    checkScheme: options.checkScheme ?? LB_OPTION_DEFAULTS.checkScheme,
    checkIntervalMs: options.checkIntervalMs ?? LB_OPTION_DEFAULTS.checkIntervalMs,
    checkTimeoutMs: options.checkTimeoutMs ?? LB_OPTION_DEFAULTS.checkTimeoutMs,
    rise: options.rise ?? LB_OPTION_DEFAULTS.rise,
    fall: options.fall ?? LB_OPTION_DEFAULTS.fall,
    failTimeoutMs: options.failTimeoutMs ?? LB_OPTION_DEFAULTS.failTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? LB_OPTION_DEFAULTS.connectTimeoutMs,
  };
  const check = `GET /_ping on each replica's ${o.checkScheme.toUpperCase()} port`;
  switch (o.kind) {
    case 'haproxy': {
      // Worst case: the replica fails just after a good check, then `fall` checks fail in a
      // row, `inter` apart, and the last one hangs until `timeout check`.
      const ms = o.checkIntervalMs * o.fall + o.checkTimeoutMs;
      return {
        kind: o.kind,
        seconds: ms / 1000,
        summary: `A failed replica leaves the pool after ~${formatSeconds(ms)}.`,
        detail:
          `HAProxy sends ${check} every ${formatSeconds(o.checkIntervalMs)}; ${times(o.fall, 'failed check')} in a row ` +
          `(inter x fall = ${formatSeconds(o.checkIntervalMs * o.fall)}, plus up to ${formatSeconds(o.checkTimeoutMs)} for a check that hangs) ` +
          `take it out of both pools; it returns after ${times(o.rise, 'good check')} in a row.`,
      };
    }
    case 'nginx':
      return {
        kind: o.kind,
        seconds: null,
        summary:
          `Depends on traffic: a replica leaves the pool after ${times(o.fall, 'failed connection')} ` +
          `within ${formatSeconds(o.failTimeoutMs)}, for ${formatSeconds(o.failTimeoutMs)}.`,
        detail:
          'Open-source NGINX has no active health checks in stream mode: it only counts connections to a replica that are refused ' +
          `or time out (proxy_connect_timeout ${formatSeconds(o.connectTimeoutMs)}), and only when clients are sent there, so an idle pool notices nothing. ` +
          `After max_fails (${o.fall}) failures within fail_timeout (${formatSeconds(o.failTimeoutMs)}) ` +
          `it skips that replica for ${formatSeconds(o.failTimeoutMs)}, then tries it again. A replica that still accepts connections ` +
          'but reports unhealthy on /_ping (say its RethinkDB is down) keeps getting traffic: mark it `down` by hand, or use HAProxy.',
      };
    case 'elb': {
      const ms = o.checkIntervalMs * o.fall;
      return {
        kind: o.kind,
        seconds: ms / 1000,
        summary: `A failed replica leaves the pool after ~${formatSeconds(ms)}.`,
        detail:
          `The ELB sends ${check} every ${formatSeconds(o.checkIntervalMs)} (each may take ${formatSeconds(o.checkTimeoutMs)}); ` +
          `after ${times(o.fall, 'failure')} in a row (Interval x UnhealthyThreshold) it stops routing to the instance, ` +
          `and routes to it again after ${times(o.rise, 'success', 'successes')} in a row.`,
      };
    }
  }
}
