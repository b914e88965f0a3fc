// The notification engine's pure part: what to send, and when. It turns the stream of assessed
// warnings into incidents — one per cause, as the overview groups its cards (`Warning.group`,
// set by assessCluster's groupWarnings) — with a `for` delay before firing, a repeat interval while
// firing, and a resolved notice. No I/O: the caller persists the state and delivers the
// notifications (lib/alerts).
import {
  WARNING_CODES,
  type ClusterSnapshot,
  type Instant,
  type Severity,
  type Warning,
  type WarningCode,
} from '../types';

export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const satisfies Severity[];
const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** `a` is at least as severe as `b`. */
export const atLeast = (a: Severity, b: Severity) => RANK[a] <= RANK[b];

export interface IncidentPolicy {
  /** How long a cause must hold before its incident fires, per (current) severity. */
  forMs: Record<Severity, number>;
  /** A firing incident is announced again after this long. */
  repeatMs: number;
  /** How long a cause must be gone before its incident resolves (0: at the first clean snapshot). */
  resolveAfterMs: number;
  /** Less severe causes make no incident (default: info is shown, not sent). */
  minSeverity: Severity;
}

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  forMs: { critical: 10_000, warning: 60_000, info: 300_000 },
  repeatMs: 4 * 60 * 60 * 1000,
  resolveAfterMs: 0,
  minSeverity: 'warning',
};

/** What an incident is about: its group's head warning, and every code in the group. */
export interface IncidentCause {
  /** The group (e.g. "dtr-quorum", "replica:a1640e1c15b6", "node:worker-3"). */
  group: string;
  severity: Severity;
  /** The head warning's code (Alertmanager's alertname). */
  code: WarningCode;
  title: string;
  /** The consequence, in plain words. */
  detail: string;
  nextStep: string;
  command?: string;
  href?: string;
  /** Every code raised for this cause, head first. */
  codes: WarningCode[];
  /** Subjects of every warning in the group (replica IDs, hostnames, source names), head's first. */
  subjects: string[];
}

export type IncidentPhase = 'pending' | 'firing' | 'resolved';

export interface Incident extends IncidentCause {
  /** Stable for the incident's life: its group plus when the cause was first seen. */
  id: string;
  phase: IncidentPhase;
  /** When the cause was first seen (the `for` delay counts from here). */
  since: Instant;
  firedAt: Instant | null;
  resolvedAt: Instant | null;
  /** The last snapshot that showed the cause. */
  lastSeenAt: Instant;
  /** When the cause was first missing from a judgeable snapshot, while it stays missing. */
  clearedSince: Instant | null;
  /** When the last firing/repeat/escalated notice was due. */
  lastNotifiedAt: Instant | null;
  /** Repeats sent so far (each repeat is its own delivery, claimed once). */
  repeats: number;
  /** The worst it has been announced as (severity, then head code): escalations are above it. */
  firedSeverity: Severity | null;
  firedCode: WarningCode | null;
}

export type NotificationKind = 'firing' | 'repeat' | 'escalated' | 'resolved';

export interface Notification {
  kind: NotificationKind;
  /** Unique per incident: "firing", "repeat:3", "escalated:critical", "resolved". */
  transition: string;
  incident: Incident;
  at: Instant;
  /** Escalations: what it was announced as before (Alertmanager ends that alert). */
  replaces?: { code: WarningCode; severity: Severity };
}

export interface IncidentStep {
  /** Open incidents (pending and firing) after this step. */
  open: Incident[];
  /** Incidents whose row changed this step, resolved and dropped-pending ones included. */
  changed: Incident[];
  /** Pending incidents whose cause went away before `for` elapsed: never announced. */
  dropped: Incident[];
  notifications: Notification[];
}

/**
 * Which causes the snapshot can speak about. When a source the console reads is failing, its
 * verdicts rest on old data: an incident missing from such a snapshot is not judged gone.
 * The console's own "no data from UCP/DTR" incident is the exception: that warning's absence
 * is itself the news.
 */
export function judgeable(
  snapshot: Pick<ClusterSnapshot, 'sources'>,
): (i: IncidentCause) => boolean {
  const blind = Object.values(snapshot.sources).some(
    (s) => s.configured !== false && s.state !== 'ok',
  );
  return (incident) => !blind || incident.codes.every((c) => c === 'SOURCE_UNREACHABLE');
}

/** One cause per group, from assessCluster's grouped warnings (the primary card stands for it). */
export function causesOf(
  warnings: readonly Warning[],
  policy: Pick<IncidentPolicy, 'minSeverity'>,
): IncidentCause[] {
  const groups = new Map<string, Warning[]>();
  for (const w of warnings) {
    const key = w.group ?? `${w.code}:${w.subjects.join(',')}`;
    const list = groups.get(key);
    if (list) list.push(w);
    else groups.set(key, [w]);
  }
  const causes: IncidentCause[] = [];
  for (const [group, list] of groups) {
    const head = list.find((w) => w.primary) ?? list[0];
    if (!head) continue;
    const severity = list.reduce<Severity>(
      (worst, w) => (atLeast(w.severity, worst) ? w.severity : worst),
      head.severity,
    );
    if (!atLeast(severity, policy.minSeverity)) continue;
    const others = list.filter((w) => w !== head);
    causes.push({
      group,
      severity,
      code: head.code,
      title: head.title,
      detail: head.detail,
      nextStep: head.nextStep,
      ...(head.command !== undefined && { command: head.command }),
      ...(head.href !== undefined && { href: head.href }),
      codes: unique([head.code, ...others.map((w) => w.code)]),
      subjects: unique([...head.subjects, ...others.flatMap((w) => w.subjects)]),
    });
  }
  return causes;
}

const unique = <T>(values: T[]) => [...new Set(values)];

/** The incident's ID: its group and the second its cause was first seen, e.g. "replica:abc@lq2x8k". */
export function incidentId(group: string, since: Instant): string {
  return `${group}@${Math.floor(Date.parse(since) / 1000).toString(36)}`;
}

export interface IncidentInput {
  /** The assessed, grouped warnings of the latest snapshot. */
  warnings: readonly Warning[];
  /** Whether an incident missing from these warnings may be judged gone (see `judgeable`). */
  canJudge: (incident: IncidentCause) => boolean;
  now: Date;
}

/**
 * One step: the open incidents before, the latest warnings, now → the open incidents after and
 * what to announce. Pure and idempotent for a given `now`: calling it again with the same input
 * announces nothing new.
 */
export function stepIncidents(
  open: readonly Incident[],
  input: IncidentInput,
  policy: IncidentPolicy = DEFAULT_INCIDENT_POLICY,
): IncidentStep {
  const nowMs = input.now.getTime();
  const at = input.now.toISOString();
  const causes = new Map(causesOf(input.warnings, policy).map((c) => [c.group, c] as const));
  const next: Incident[] = [];
  const changed: Incident[] = [];
  const dropped: Incident[] = [];
  const notifications: Notification[] = [];
  const notify: Notify = (kind, transition, incident, replaces) =>
    notifications.push({ kind, transition, incident, at, ...(replaces && { replaces }) });

  for (const before of open) {
    const cause = causes.get(before.group);
    causes.delete(before.group);
    if (cause) {
      const incident: Incident = { ...before, ...cause, lastSeenAt: at, clearedSince: null };
      advance(incident, before, policy, nowMs, at, notify);
      next.push(incident);
      if (!sameIncident(incident, before)) changed.push(incident);
      continue;
    }
    if (!input.canJudge(before)) {
      next.push(before);
      continue;
    }
    if (before.phase === 'pending') {
      // Gone before `for` elapsed: a flap, never announced.
      const gone: Incident = { ...before, phase: 'resolved', resolvedAt: at };
      dropped.push(gone);
      changed.push(gone);
      continue;
    }
    const clearedSince = before.clearedSince ?? at;
    if (nowMs - Date.parse(clearedSince) < policy.resolveAfterMs) {
      const waiting = { ...before, clearedSince };
      next.push(waiting);
      if (before.clearedSince === null) changed.push(waiting);
      continue;
    }
    const resolved: Incident = { ...before, phase: 'resolved', resolvedAt: at, clearedSince };
    changed.push(resolved);
    notify('resolved', 'resolved', resolved);
  }

  for (const cause of causes.values()) {
    const incident: Incident = {
      ...cause,
      id: incidentId(cause.group, at),
      phase: 'pending',
      since: at,
      firedAt: null,
      resolvedAt: null,
      lastSeenAt: at,
      clearedSince: null,
      lastNotifiedAt: null,
      repeats: 0,
      firedSeverity: null,
      firedCode: null,
    };
    advance(incident, null, policy, nowMs, at, notify);
    next.push(incident);
    changed.push(incident);
  }
  return { open: next, changed, dropped, notifications };
}

type Notify = (
  kind: NotificationKind,
  transition: string,
  incident: Incident,
  replaces?: Notification['replaces'],
) => void;

/** Moves a still-present incident on: pending → firing after `for`; repeats; escalation. */
function advance(
  incident: Incident,
  before: Incident | null,
  policy: IncidentPolicy,
  nowMs: number,
  at: Instant,
  notify: Notify,
): void {
  if (incident.phase === 'pending') {
    if (nowMs - Date.parse(incident.since) < policy.forMs[incident.severity]) return;
    incident.phase = 'firing';
    incident.firedAt = at;
    incident.lastNotifiedAt = at;
    incident.firedSeverity = incident.severity;
    incident.firedCode = incident.code;
    notify('firing', 'firing', incident);
    return;
  }
  if (before && worse(incident, before)) {
    // Worse than it was announced (e.g. at risk → lost): say so now, not at the next repeat.
    // Only above the worst announced, so oscillating between two levels is not news each time.
    const replaces =
      before.firedCode && before.firedSeverity
        ? { code: before.firedCode, severity: before.firedSeverity }
        : undefined;
    incident.firedSeverity = incident.severity;
    incident.firedCode = incident.code;
    incident.lastNotifiedAt = at;
    notify('escalated', `escalated:${incident.severity}:${incident.code}`, incident, replaces);
    return;
  }
  const last = incident.lastNotifiedAt ? Date.parse(incident.lastNotifiedAt) : nowMs;
  if (nowMs - last >= policy.repeatMs) {
    incident.repeats += 1;
    incident.lastNotifiedAt = at;
    notify('repeat', `repeat:${incident.repeats}`, incident);
  }
}

/** More severe than the worst announced; at one severity, a head code listed earlier (LOST before AT_RISK). */
function worse(now: IncidentCause, before: Incident): boolean {
  if (!before.firedSeverity || !before.firedCode) return false;
  const bySeverity = RANK[now.severity] - RANK[before.firedSeverity];
  if (bySeverity !== 0) return bySeverity < 0;
  return WARNING_CODES.indexOf(now.code) < WARNING_CODES.indexOf(before.firedCode);
}

function sameIncident(a: Incident, b: Incident): boolean {
  // lastSeenAt moves every step; the row is rewritten only when something else changed.
  return JSON.stringify({ ...a, lastSeenAt: '' }) === JSON.stringify({ ...b, lastSeenAt: '' });
}
