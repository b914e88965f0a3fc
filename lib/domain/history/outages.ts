// History — outages: who was down when and for how long, for the timeline.
import type { Instant } from '../types';
import { type HistoryEvent, type HistoryEventKind, keyOf, REMOVED } from './events';

/** States in which a subject counts as down on the timeline. */
export function isDown(kind: HistoryEventKind, state: string): boolean {
  switch (kind) {
    case 'replica':
      return state === 'unhealthy' || state === 'unreachable' || state === 'ghost';
    case 'manager':
      return state === 'unreachable' || state === 'unhealthy';
    case 'dtr-quorum':
    case 'ucp-quorum':
      return state === 'lost';
    case 'source':
      return state === 'stale' || state === 'error';
  }
}

export interface Outage {
  kind: HistoryEventKind;
  subject: string;
  /** Node a replica ran on, when known. */
  node: string | null;
  /** The state it went into first, and every down state it passed through. */
  state: string;
  states: string[];
  error: string | null;
  start: Instant;
  /** null while it lasts. */
  end: Instant | null;
  /** How it ended: back up, or taken out of the cluster. */
  endedBy: 'recovered' | 'removed' | null;
  /** To its end, or to the range's end while it lasts. */
  durationMs: number;
}

/**
 * Outages overlapping `range`, newest first. `events` may include events before the range (the
 * store passes each subject's last earlier event) so an outage already under way is found.
 */
export function outages(
  events: readonly HistoryEvent[],
  range: { from: Instant; to: Instant },
): Outage[] {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const open = new Map<string, Outage>();
  const done: Outage[] = [];
  for (const e of sorted) {
    const key = keyOf(e);
    const current = open.get(key);
    if (isDown(e.kind, e.to)) {
      if (current) {
        if (!current.states.includes(e.to)) current.states.push(e.to);
        current.error = e.detail.error ?? current.error;
        continue;
      }
      open.set(key, {
        kind: e.kind,
        subject: e.subject,
        node: e.detail.node ?? null,
        state: e.to,
        states: [e.to],
        error: e.detail.error ?? null,
        start: e.at,
        end: null,
        endedBy: null,
        durationMs: 0,
      });
    } else if (current) {
      open.delete(key);
      current.end = e.at;
      current.endedBy = e.to === REMOVED ? 'removed' : 'recovered';
      current.durationMs = Date.parse(e.at) - Date.parse(current.start);
      done.push(current);
    }
  }
  for (const current of open.values()) {
    current.durationMs = Math.max(0, to - Date.parse(current.start));
    done.push(current);
  }
  return done
    .filter((o) => Date.parse(o.start) <= to && (o.end === null || Date.parse(o.end) >= from))
    .sort(
      (a, b) => Date.parse(b.start) - Date.parse(a.start) || a.subject.localeCompare(b.subject),
    );
}
