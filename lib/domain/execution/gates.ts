// The checks the console makes at the moment it is asked to run a step, beyond the wizard's own
// re-plan (which the service does with planRequest on a fresh snapshot): is the run still the
// one that was reviewed, is the cluster's execution slot free, would it run the very command
// the person saw, on the node it should. The first refusal wins, least surprising first.
import { oneLine } from '../shell';
import { refusal as planRefusal, type RequestPlan } from '../wizards/run-plan';
import type { WizardRunState, WizardRunStatus } from '../wizards/run';
import { nodeReason } from './node';
import { clockTime, kindInWords, leaseExpired } from './record';
import type { ExecutionHold, ExecutionRecord } from './types';

export interface ExecutionGateInput {
  state: WizardRunState;
  /** planRequest(fresh snapshot, requestFromState(state), options). */
  replanned: RequestPlan;
  runStatus: WizardRunStatus;
  /** Why the run was withdrawn (refuseIfWithdrawn / runStaleness), or null. */
  withdrawnReason: string | null;
  /** The name of the node the console's engine runs on (GET /info → Name); null when unknown. */
  engineNode: string | null;
  /** executionNode(state, snapshot). */
  pinnedNode: string | null;
  /** Through a UCP client bundle (the pin is a constraint) rather than one plain engine. */
  viaBundle: boolean;
  /** The execution that holds the cluster's slot, if any. */
  busy: ExecutionRecord | null;
  now: Date;
}

// Statuses a later migration adds (executing, unknown) are named here too: the type may not list them yet.
const NOT_OPEN: Record<string, string> = {
  verifying:
    'This run is past its command already: the console is verifying its outcome. A run executes once; start a new one to try again.',
  done: 'This run is done. A run executes once; start a new one for another change.',
  failed:
    'This run has failed. A run executes once, and a failed one is not retried on its own: start a new run after reading what went wrong.',
  cancelled: 'This run was cancelled. Start a new run to make the change.',
  executing: 'This run is executing already. A run executes once: follow its log on this page.',
  unknown:
    'The outcome of this run’s execution is unknown. Verify the cluster first: running it again could repeat a change that already happened.',
};

/** "Another execution holds prod: remove (run …) by alice at 10:02 UTC on console-2." */
export function busySentence(busy: ExecutionRecord, now: Date): string {
  const who = `${kindInWords(busy.kind)} (run ${busy.runId}) by ${busy.actor} at ${clockTime(busy.createdAt, now)}, on console ${busy.instance}`;
  const base = `Another execution is in progress on cluster "${busy.cluster}": ${who}${busy.node ? `, node ${busy.node}` : ''}.`;
  if (busy.status === 'orphaned' || leaseExpired(busy, now)) {
    return `${base} Its console stopped renewing it, so the console is finding out how it ended; try again once it has, or release the slot (an administrator’s action) if the engine cannot be reached.`;
  }
  return `${base} One execution runs at a time per cluster: wait for it to end (its log is on its run’s page).`;
}

/** Why a step waits while a step without a container (a bring-back) holds the cluster. */
export function holdSentence(hold: ExecutionHold, now: Date): string {
  return `Another change is in progress on cluster "${hold.cluster}": ${hold.subject}, by ${hold.actor} at ${clockTime(hold.createdAt, now)}, on console ${hold.instance}. One change runs at a time per cluster: try again once it has ended (it takes seconds).`;
}

/** The first word pair where two command texts differ, for the drift sentence. */
function firstDifference(before: string, after: string): string {
  const a = oneLine(before).trim().split(/\s+/);
  const b = oneLine(after).trim().split(/\s+/);
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) {
      const show = (words: string[]) =>
        words.slice(Math.max(0, i - 1), i + 1).join(' ') || '(nothing)';
      return ` (“${show(a)}” then, “${show(b)}” now)`;
    }
  }
  return '';
}

const sameNode = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The first reason not to run the step now, as the sentence to show and audit; null to go ahead. */
export function executionRefusal(input: ExecutionGateInput): string | null {
  const { state, replanned, runStatus } = input;
  if (runStatus === 'stale' || input.withdrawnReason !== null) {
    return `This run was withdrawn${input.withdrawnReason ? `: ${input.withdrawnReason.replace(/\.?$/, '.')}` : '.'} Nothing was run; plan the change again.`;
  }
  if (runStatus !== 'open') {
    return (
      NOT_OPEN[runStatus] ??
      `This run is ${runStatus}; only an open run can execute. Start a new run to try again.`
    );
  }
  if (input.busy !== null) return busySentence(input.busy, input.now);
  if (!replanned.ok) {
    const { message } = planRefusal(replanned);
    return `The wizard would not plan this step today${message ? `: ${message}` : '.'} Nothing was run.`;
  }
  const command = replanned.command;
  if (command === undefined || command.text !== state.command) {
    return `The command the console would run today differs from the one you reviewed${firstDifference(state.command, command?.text ?? '')}: the cluster or the console’s settings changed since it was planned. Nothing was run; plan the change again and review the new command.`;
  }
  if (state.needsVersion || command.needsVersion) {
    return 'The console does not know the installed DTR version, so the command’s image tag reads VERSION: it will not run a bootstrapper it cannot name. Set DTR_VERSION to the installed version (never latest) and plan the change again.';
  }
  if (!input.viaBundle && input.pinnedNode !== null) {
    const where = `This step must run on ${input.pinnedNode} (${nodeReason(state)})`;
    if (input.engineNode === null) {
      return `${where}, but the console cannot tell which node its Docker engine is on. Point EXECUTE_DOCKER_HOST at ${input.pinnedNode}’s engine or at a UCP client bundle, or run the printed command on ${input.pinnedNode} yourself.`;
    }
    if (!sameNode(input.engineNode, input.pinnedNode)) {
      return `${where}, but the console’s Docker engine is ${input.engineNode}. Point EXECUTE_DOCKER_HOST at ${input.pinnedNode}’s engine or at a UCP client bundle, or run the printed command on ${input.pinnedNode} yourself.`;
    }
  }
  return null;
}
