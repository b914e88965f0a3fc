// Wizard runs on the server — what every operation shares: the actor and its errors, audit,
// the per-run lock, and the run's view.
import 'server-only';
import { AUDIT_ACTIONS, audit, type AuditAction, type AuditLog } from '@/lib/auth/audit';
import type { UcpCaSource, UcpConnectionOptions } from '@/lib/domain/commands';
import type { ClusterSnapshot } from '@/lib/domain/types';
import {
  WizardRunStateSchema,
  type PlanOptions,
  type RunEvent,
  type Verification,
  type WizardRunState,
  type WizardRunView,
} from '@/lib/domain/wizards';
import { ApiError, type ApiErrorCode } from '@/lib/http/errors';
import { oneLine } from '@/lib/domain/shell';
import type { Runtime } from '../../runtime';
import type { WizardRunRecord } from '../wizard-runs';

/** Who acts: the auth guard's AuthContext (lib/auth/guard.ts) has this shape. */
export interface WizardActor {
  user: { username: string };
  ip: string;
}

/** A refusal the route wrapper answers as `{ error: { code, message } }` with this HTTP status. */
export class WizardRequestError extends ApiError {
  override readonly name = 'WizardRequestError';
  constructor(
    override readonly status: 404 | 409 | 422 | 429 | 500 | 502 | 503,
    code: ApiErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, code, message, headers);
  }
}

// ---------------------------------------------------------------------------
// Audit

export type WizardAuditAction =
  | 'wizard-command'
  | 'wizard-applied'
  | 'wizard-ran'
  | 'wizard-verified'
  | 'wizard-failed'
  | 'wizard-cancelled'
  | 'wizard-withdrawn'
  | 'wizard-execution-refused'
  | 'wizard-execution-started'
  | 'wizard-executed'
  | 'wizard-execution-failed'
  | 'wizard-execution-unknown'
  | 'wizard-execution-released'
  | 'wizard-container-started';

/** Actions lib/auth/audit.ts does not list yet are recorded as wizard-command, named in the detail. */
export async function auditWizard(
  log: AuditLog,
  actor: { username: string; ip: string },
  action: WizardAuditAction,
  detail: string,
): Promise<void> {
  const known = (AUDIT_ACTIONS as readonly string[]).includes(action);
  await audit(log, {
    actor: actor.username,
    ip: actor.ip,
    action: known ? (action as AuditAction) : 'wizard-command',
    detail: known ? detail : `${action.slice('wizard-'.length)}: ${detail}`,
  });
}

export const CONSOLE_ACTOR = { username: 'console', ip: 'server' };

// ---------------------------------------------------------------------------
// One change to a run at a time (verification, demo callbacks and PATCH may race).

/** Runs `task` once every earlier task for run `id` has settled; `locks` is the runtime's. */
export function withRunLock<T>(
  locks: Map<string, Promise<unknown>>,
  id: string,
  task: () => Promise<T>,
): Promise<T> {
  const previous = locks.get(id) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  locks.set(id, settled);
  void settled.then(() => {
    if (locks.get(id) === settled) locks.delete(id);
  });
  return next;
}

// ---------------------------------------------------------------------------
// Helpers

export function readState(record: WizardRunRecord): WizardRunState {
  const parsed = WizardRunStateSchema.safeParse(record.state);
  if (!parsed.success || parsed.data.kind !== record.kind) {
    throw new WizardRequestError(
      500,
      'internal',
      `Wizard run ${record.id} is stored in a form this console cannot read.`,
    );
  }
  return parsed.data;
}

export function event(actor: string, name: string, detail: string): RunEvent {
  return { at: new Date().toISOString(), actor, event: name, detail };
}

/** The UCP account named in commands: the signed-in person, else the demo's admin, else the configured account. */
export function operatorName(runtime: Runtime, actor: WizardActor): string | null {
  if (actor.user.username !== 'local') return actor.user.username;
  const demoAdmin = runtime.demo?.users.find(
    (u) => u.isAdmin && u.username !== runtime.target.ucp?.username,
  );
  return demoAdmin?.username ?? runtime.target.ucp?.username ?? null;
}

export function connectionFor(
  runtime: Runtime,
  status: ClusterSnapshot,
  actor: WizardActor,
  ca: UcpCaSource | undefined,
): UcpConnectionOptions | null {
  const ucpUrl = runtime.target.ucp?.url;
  const ucpUsername = operatorName(runtime, actor);
  if (!ucpUrl || !ucpUsername) return null;
  const options = runtime.commands;
  return {
    ucpUrl,
    ucpUsername,
    dtrVersion: status.dtr.version,
    ucpCa: ca ?? { kind: 'fetch' },
    caFingerprint: options.ucpCaFingerprint,
    caDownloadVerified: options.ucpCaDownloadVerified,
  };
}

/** The plan options of a command: connection, and the image and version it runs with. */
export function planOptionsFor(
  runtime: Runtime,
  status: ClusterSnapshot,
  actor: WizardActor,
  ca: UcpCaSource | undefined,
): PlanOptions {
  const options = runtime.commands;
  return {
    connection: connectionFor(runtime, status, actor, ca),
    imageOverride: options.imageOverride,
    pinnedVersion: options.dtrVersion ?? null,
    offlineLongMs: runtime.config.offlineLongMs,
    zoneLabel: runtime.config.zoneLabel,
  };
}

/** Defence in depth: the builders never print a password; refuse if one shows up anyway. */
export function assertNoSecret(runtime: Runtime, text: string): void {
  const secrets = [runtime.target.ucp?.password, runtime.target.dtr?.password].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length >= 8,
  );
  if (secrets.some((secret) => text.includes(secret))) {
    throw new WizardRequestError(
      500,
      'internal',
      'Refusing to show a command that contains a password.',
    );
  }
}

/** "remove --existing-replica-id … --replica-ids …": the bootstrapper part of the docker run line. */
export function commandSummary(command: string): string {
  // The continuations joined: the subcommand and its flags are on several printed lines.
  const line = oneLine(command);
  const at = line.search(/ (join|remove|emergency-repair) /);
  return at >= 0 ? line.slice(at + 1) : line;
}

/** What the API shows of a run's state: a withdrawn command is nowhere to be copied from. */
export function shownState(record: WizardRunRecord, state: WizardRunState): WizardRunState {
  if (record.status !== 'stale') return state;
  return {
    ...state,
    command: '',
    events: state.events.map((e) => (e.event === 'generated' ? { ...e, detail: '' } : e)),
  };
}

export function toView(
  record: WizardRunRecord,
  state: WizardRunState,
  verification: Verification | null,
  mode: 'demo' | 'live',
): WizardRunView {
  return {
    id: record.id,
    kind: record.kind,
    status: record.status,
    step: record.step,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    state: shownState(record, state),
    verification,
    mode,
    withdrawn: record.status === 'stale' ? (state.withdrawn ?? null) : null,
  };
}

export function lastWord(state: WizardRunState): Verification | null {
  const last = state.lastVerification;
  return last
    ? { state: last.state, message: last.message, checks: last.checks, nextSteps: last.nextSteps }
    : null;
}
