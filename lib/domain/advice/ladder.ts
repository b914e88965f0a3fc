// The advice ladder: for each situation, every next step from least to most destructive, each
// with when it applies, what it risks and the exact command where one exists (DESIGN.md §3).
//
// The vendor's recovery order (a majority left: remove and join; none: emergency repair; that
// fails: restore) assumes the failed replicas are gone for good. The most common cause — a
// stopped container, a rebooting node, an engine restart — is undone by starting it again, which
// loses nothing, so that is the first rung. Remove and join come once a replica has been down
// longer than OFFLINE_LONG_MS (or cannot come back); emergency repair only once the person says
// no replica could be brought back; restore from backup last. Cause-specific ladders come first
// where the error names the cause: shared storage (rejoining cannot fix it), RethinkDB, TLS.
import type { AssessContext } from '../assess/context';
import { ageMs, dtrCommand, isUp, nodeByHostname, survivingReplica } from '../assess/context';
import { durationInWords, listOf, plural } from '../assess/format';
import { buildEmergencyRepairCommand, buildRemoveCommand } from '../commands';
import { majority } from '../quorum';
import type { AdviceStep, ReplicaState, Warning } from '../types';
import {
  isComponent,
  lines,
  logsCommand,
  lookCommand,
  restartCommand,
  startCommand,
  type DtrComponent,
} from './commands';

/** What a down replica's evidence says caused it. */
export type DownCause =
  | 'stopped'
  | 'node-down'
  | 'storage'
  | 'rethinkdb'
  | 'component'
  | 'tls'
  | 'partition'
  | 'ghost'
  | 'unknown';

const STORAGE = /\b(storage|s3|azure|gcs|swift|oss|nfs|bucket|blob|filesystem)\b/i;
const QUORUM = /quorum/i;

export function causeOf(
  ctx: AssessContext,
  replica: ReplicaState,
): { cause: DownCause; component?: DtrComponent } {
  if (replica.status === 'ghost') return { cause: 'ghost' };
  const evidence = replica.verdict.evidence;
  const text = `${replica.error ?? ''} ${replica.ping?.error ?? ''}`;
  if (replica.ping?.kind === 'tls' || evidence.console === 'inconclusive') return { cause: 'tls' };
  if (evidence.console === 'ok' && evidence.cluster === 'failing') return { cause: 'partition' };
  if (replica.status === 'unhealthy' && evidence.console === 'failing') {
    if (STORAGE.test(text)) return { cause: 'storage', component: 'registry' };
    if (/rethinkdb/i.test(text) && !QUORUM.test(text))
      return { cause: 'rethinkdb', component: 'rethinkdb' };
    const named = /^\s*([a-z-]+):/i.exec(replica.ping?.error ?? replica.error ?? '')?.[1];
    if (named && isComponent(named.toLowerCase()))
      return { cause: 'component', component: named.toLowerCase() as DtrComponent };
  }
  const node = nodeByHostname(ctx, replica.node);
  if (node && node.state !== 'ready') return { cause: 'node-down' };
  if ((replica.containers?.stopped.length ?? 0) > 0) return { cause: 'stopped' };
  return { cause: 'unknown' };
}

/** How long a replica has been down, when its `since` is readable. */
function downFor(ctx: AssessContext, replica: ReplicaState): number | null {
  return ageMs(ctx, replica.since);
}

const isLong = (ctx: AssessContext, replica: ReplicaState) =>
  (downFor(ctx, replica) ?? 0) > ctx.offlineLongMs;

function lookStep(nodes: readonly string[], namePrefix = 'dtr-'): AdviceStep {
  const single = nodes.length === 1 ? (nodes[0] as string) : null;
  const command = lookCommand(single, namePrefix);
  return {
    id: 'look',
    level: 'look',
    title: single
      ? `See which DTR containers on ${single} are down`
      : 'See which DTR containers are down',
    when: 'First, always: through a UCP client bundle (its Docker API reaches every node).',
    risk: 'None: it only reads.',
    ...(command !== undefined && { command }),
    recommended: false,
  };
}

function bringBackWhen(ctx: AssessContext, replica: ReplicaState): string {
  const { cause } = causeOf(ctx, replica);
  if (cause === 'node-down')
    return `Its node ${replica.node} is down: power it on, or restart its Docker engine (systemctl restart docker on the node). DTR’s containers start again with the engine.`;
  if (cause === 'stopped')
    return `UCP lists its ${listOf((replica.containers?.stopped ?? []).map((c) => `dtr-${c}`))} container${(replica.containers?.stopped.length ?? 0) === 1 ? '' : 's'} stopped: start ${(replica.containers?.stopped.length ?? 0) === 1 ? 'it' : 'them'} again.`;
  return `Start its stopped dtr-* containers, or bring its node ${replica.node} back (power, network, Docker engine).`;
}

/** Start the down replicas again: what recovers a stopped container or a rebooted node. */
function bringBackStep(ctx: AssessContext, down: readonly ReplicaState[]): AdviceStep {
  const startable = down.filter((r) => r.status !== 'ghost');
  const command = lines(...startable.map((r) => startCommand(r.id, r.containers?.stopped ?? null)));
  const names = startable.map((r) => r.id);
  return {
    id: 'bring-back',
    level: 'bring-back',
    title:
      names.length === 1
        ? `Bring replica ${names[0]} back`
        : `Bring replicas ${listOf(names)} back`,
    // Several: each sentence says whose ("its" alone would not).
    when:
      startable.length === 1
        ? bringBackWhen(ctx, startable[0] as ReplicaState)
        : startable.map((r) => `Replica ${r.id}: ${bringBackWhen(ctx, r)}`).join(' '),
    risk: 'None: a replica that starts again rejoins with its data, and nothing is lost. This is the usual fix after a stopped container, a node reboot or an engine restart.',
    ...(command !== undefined && { command }),
    ...(names.length > 0 && { replicaIds: names }),
    recommended: false,
  };
}

/** Remove the failed replicas (in one command: `remove` wants every other replica healthy), then join. */
function removeJoinStep(
  ctx: AssessContext,
  down: readonly ReplicaState[],
  when: string,
): AdviceStep {
  const ids = down.map((r) => r.id);
  const survivor = survivingReplica(ctx);
  const built = survivor
    ? dtrCommand(ctx, survivor.id, (c) =>
        buildRemoveCommand({ ...c, existingReplicaId: survivor.id, replicaIds: ids }),
      )
    : null;
  return {
    id: 'remove-join',
    level: 'replace',
    title: `Remove ${ids.length === 1 ? `replica ${ids[0]}` : `replicas ${listOf(ids)}`}, then join a new one`,
    when:
      `${when} Remove first, then join on a free dedicated worker — one change at a time: joining while a failed replica still counts can split the cluster.` +
      (ids.length > 1
        ? ` \`remove\` wants every other replica healthy, so ${listOf(ids)} go in one command.`
        : '') +
      ' Use `remove`, never `destroy`: destroy deletes the containers without telling the cluster. Afterwards, take it out of the load balancer.' +
      (built?.needsVersion
        ? ' Replace VERSION in the image tag with your installed DTR version (never latest).'
        : ''),
    risk: 'The cluster forgets the replica for good (its data volumes stay on its node until you clean them up); until the new replica has joined, the cluster has one member fewer.',
    ...(built && { command: built.text }),
    href: `/replicas/remove?replica=${encodeURIComponent(ids[0] ?? '')}`,
    recommended: false,
  };
}

function componentSteps(
  replica: ReplicaState,
  component: DtrComponent,
  id: string,
  title: string,
  when: string,
): AdviceStep[] {
  const logs = logsCommand(component, replica.id);
  const restart = restartCommand(component, replica.id);
  return [
    {
      id,
      level: 'look',
      title,
      when,
      risk: 'None: it only reads.',
      ...(logs !== undefined && { command: logs }),
      recommended: false,
    },
    {
      id: `restart-${component}`,
      level: 'bring-back',
      title: `Restart dtr-${component}-${replica.id}`,
      when: 'Once its log says what failed and that is fixed, or when it is stuck.',
      risk: 'Requests on this replica fail for the few seconds it takes; the other replicas keep serving.',
      ...(restart !== undefined && { command: restart }),
      recommended: false,
    },
  ];
}

function recommend(steps: AdviceStep[], id: string): AdviceStep[] {
  const at = steps.findIndex((s) => s.id === id);
  return steps.map((s, i) => ({ ...s, recommended: i === (at < 0 ? 0 : at) }));
}

/**
 * The ladder for replicas judged down while DTR still has a majority. The first rung that
 * applies is recommended: bring back while they have been down for less than OFFLINE_LONG_MS,
 * remove and join after; cause-specific checks where the error names the cause.
 */
export function downLadder(ctx: AssessContext, down: readonly ReplicaState[]): AdviceStep[] {
  const [first] = down;
  if (!first) return [];
  const single = down.length === 1 ? first : null;
  const long = down.every((r) => isLong(ctx, r) || r.status === 'ghost');
  const longest = Math.max(...down.map((r) => downFor(ctx, r) ?? 0));
  const limit = durationInWords(ctx.offlineLongMs);
  const waitWhen = long
    ? `Down for ${durationInWords(longest)}, longer than ${limit}: it is not coming back by itself.`
    : `Only once it has been down longer than ${limit} (now ${durationInWords(longest)}), or you know it cannot come back.`;
  const cause = single ? causeOf(ctx, single) : { cause: 'unknown' as DownCause };

  if (single && cause.cause === 'ghost') {
    const steps: AdviceStep[] = [
      {
        id: 'bring-back',
        level: 'bring-back',
        title: `Rejoin node ${single.node} to the swarm, if it still exists`,
        when: 'Only if the node was removed by mistake and still has its disk: its replica’s data volumes are on it.',
        risk: 'None for the data; the replica comes back when its node does.',
        recommended: false,
      },
      removeJoinStep(
        ctx,
        down,
        `Its node ${single.node} is gone from the swarm, so it cannot come back as it is.`,
      ),
    ];
    return recommend(steps, 'remove-join');
  }
  if (single && cause.cause === 'tls') {
    return recommend(
      [
        {
          id: 'check-tls',
          level: 'look',
          title: 'Fix the console’s trust in DTR’s certificate',
          when: `The console could not trust replica ${single.id}’s certificate (${single.ping?.error ?? 'TLS failure'}): give it DTR’s CA (DTR_CA_FILE), or probe the replicas’ HTTP port (DTR_PROBE_SCHEME=http). The replica itself may be fine.`,
          risk: 'None.',
          recommended: false,
        },
      ],
      'check-tls',
    );
  }
  if (single && cause.cause === 'storage') {
    const steps = componentSteps(
      single,
      'registry',
      'check-storage',
      'Check the storage backend',
      `Replica ${single.id} says its storage fails (${single.error ?? 'storage error'}). Every replica uses the same storage, so check the storage service (S3, Azure, GCS, Swift, OSS or NFS) and the network from ${single.node} to it; the registry log says which.`,
    );
    return recommend(
      [
        ...steps,
        removeJoinStep(
          ctx,
          down,
          'Only if this replica alone cannot reach the storage while the others can, and it stays so: rejoining cannot fix the shared storage itself.',
        ),
      ],
      'check-storage',
    );
  }
  const component = cause.component;
  if (single && (cause.cause === 'rethinkdb' || cause.cause === 'component') && component) {
    const steps = componentSteps(
      single,
      component,
      cause.cause === 'rethinkdb' ? 'check-rethinkdb' : `check-${component}`,
      `Look at dtr-${component}-${single.id}`,
      `Replica ${single.id} says its ${component} fails (${single.error ?? ''}).`,
    );
    return recommend(
      [...steps, removeJoinStep(ctx, down, waitWhen)],
      long ? 'remove-join' : (steps[0]?.id ?? 'look'),
    );
  }
  const nodes = [...new Set(down.map((r) => r.node))];
  const steps: AdviceStep[] = [
    lookStep(nodes),
    ...(single && cause.cause === 'partition'
      ? [
          {
            id: 'check-network',
            level: 'look' as const,
            title: `Check the network between ${single.node} and the other DTR nodes`,
            when: `Replica ${single.id} answers, but the others cannot reach it (a partition): the overlay network between the DTR nodes (TCP/UDP 7946, UDP 4789) or a firewall. Take it out of the load balancer until it is fixed.`,
            risk: 'None.',
            recommended: false,
          },
        ]
      : [bringBackStep(ctx, down)]),
    removeJoinStep(ctx, down, waitWhen),
  ];
  return recommend(
    steps,
    long ? 'remove-join' : cause.cause === 'partition' ? 'check-network' : 'bring-back',
  );
}

/**
 * After quorum loss, the replicas to bring back: those that do not answer (replicas that still
 * answer run their database already), else every replica not counted up but a ghost, else
 * every replica not counted up. The ladder and the repair wizard name the same ones.
 */
export function bringBackTargets(ctx: AssessContext): ReplicaState[] {
  const down = ctx.snapshot.dtr.replicas.filter((r) => r.quorumVote !== 'up');
  const silent = down.filter((r) => !answers(r) && r.status !== 'ghost');
  if (silent.length > 0) return silent;
  const notGhosts = down.filter((r) => r.status !== 'ghost');
  return notGhosts.length > 0 ? notGhosts : down;
}

const answers = (r: ReplicaState) => r.ping !== null && r.ping.status !== 'unreachable';

/**
 * After DTR quorum loss: bring back any stopped replica first (one back of three restores the
 * majority); emergency repair only once the person says none could be brought back; restore
 * from backup last.
 */
export function quorumLossLadder(ctx: AssessContext): AdviceStep[] {
  const { replicas } = ctx.snapshot.dtr;
  const answering = replicas.filter(answers);
  const need = Math.max(1, majority(replicas.length) - answering.length);
  const targets = bringBackTargets(ctx);
  const ucp = ctx.snapshot.ucp.managers;
  const steps: AdviceStep[] = [];
  if (ucp.total > 0 && ucp.status === 'lost') {
    steps.push({
      id: 'restore-ucp',
      level: 'bring-back',
      title: 'Restore the UCP managers first',
      when: 'UCP has lost its manager quorum too, and the dtr tool needs UCP: nothing below can run until it is back.',
      risk: 'None to DTR.',
      href: '/nodes?role=manager',
      recommended: false,
    });
  }
  steps.push(lookStep([], 'dtr-rethinkdb-'));
  const back = bringBackStep(ctx, targets);
  steps.push({
    ...back,
    title:
      targets.length === 1
        ? `Bring replica ${targets[0]?.id} back`
        : `Bring back ${need === 1 ? 'any one' : `any ${Math.min(need, targets.length)}`} of ${listOf(targets.map((r) => r.id))}`,
    when:
      `${plural(need, 'replica')} back ${need === 1 ? 'restores' : 'restore'} the majority (${majority(replicas.length)} of ${replicas.length}). ` +
      back.when,
    risk: 'None: the replicas rejoin with their data; the registry comes back as it was.',
  });
  if (replicas.length > 1) {
    const [best, ...others] = repairCandidates(ctx);
    const built = best
      ? dtrCommand(ctx, best.id, (c) =>
          buildEmergencyRepairCommand({ ...c, existingReplicaId: best.id }),
        )
      : null;
    const reported = best?.lastReport ? Date.parse(best.lastReport) : Number.NaN;
    steps.push({
      id: 'emergency-repair',
      level: 'shrink',
      title: best
        ? `Emergency-repair replica ${best.id} (on ${best.node})`
        : 'Emergency-repair one replica',
      when:
        'Only after bringing back a replica has failed. ' +
        (best
          ? `${best.id} ${Number.isNaN(reported) ? 'still answers' : `has the newest report (${durationInWords(ctx.nowMs - reported)} ago) among the replicas that still answer`}; if the repair fails, ${others.length > 0 ? `try ${listOf(others.map((r) => r.id))}, then ` : ''}restore from backup. Then join new replicas one at a time.`
          : 'No replica answers: bring back the node of one, then repair on it.') +
        (built?.needsVersion
          ? ' Replace VERSION in the image tag with your installed DTR version (never latest).'
          : ''),
      risk: `Every other replica leaves the cluster: changes only they held are lost, and their nodes need their DTR containers cleaned up before they can join again.`,
      ...(built && { command: built.text }),
      href: best ? `/replicas/repair?replica=${encodeURIComponent(best.id)}` : '/replicas/repair',
      acknowledge: couldNotBringBack(targets),
      recommended: false,
    });
  }
  steps.push({
    id: 'restore',
    level: 'restore',
    title: 'Restore DTR from backup',
    when: 'Last: when no replica can be brought back or repaired.',
    risk: 'Everything since the backup is lost (pushes, repositories, settings).',
    recommended: false,
  });
  return recommend(steps, steps[0]?.id === 'restore-ucp' ? 'restore-ucp' : 'bring-back');
}

/** The acknowledgement an emergency repair waits for: the same words in the ladder and the wizard. */
export function couldNotBringBack(down: readonly Pick<ReplicaState, 'id'>[]): string {
  if (down.length === 1) return `I could not bring back ${down[0]?.id}.`;
  return `I could not bring back any of ${listOf(
    down.map((r) => r.id),
    8,
  )}.`;
}

/** When the console cannot tell: find out first; no membership change on a guess. */
export function uncertainLadder(ctx: AssessContext): AdviceStep[] {
  const unknown = ctx.snapshot.dtr.replicas.filter((r) => r.status === 'unknown');
  const look = lookCommand(null);
  return [
    {
      id: 'find-out',
      level: 'look',
      title: 'Find out whether the registry works, and restore the console’s view',
      when: `Check the registry itself (docker login and a pull through DTR_URL), then what stops the console judging ${unknown.length > 0 ? listOf(unknown.map((r) => r.id)) : 'the replicas'}: the replica cards say which witness is missing.`,
      risk: 'None. Make no membership change (remove, join, emergency-repair) on this evidence.',
      ...(look !== undefined && { command: look }),
      href: '/replicas',
      recommended: true,
    },
  ];
}

/**
 * Its containers are up: healthy, vouched for by the cluster, or answering its own `/_ping`
 * unhealthy (as every replica does once DTR has lost quorum). Emergency repair needs such a one.
 */
export function stillAnswers(r: ReplicaState): boolean {
  return (
    isUp(r) || (r.status === 'unhealthy' && r.ping !== null && r.ping.status !== 'unreachable')
  );
}

/** Replicas that still answer, best emergency-repair candidate first: newest replica_timestamp. */
export function repairCandidates(ctx: AssessContext): ReplicaState[] {
  const answering = ctx.snapshot.dtr.replicas.filter(stillAnswers);
  return [...answering].sort((a, b) => reportedAt(b) - reportedAt(a));
}

export const reportedAt = (r: ReplicaState): number =>
  r.lastReport === null
    ? Number.NEGATIVE_INFINITY
    : Date.parse(r.lastReport) || Number.NEGATIVE_INFINITY;

/** A warning's next step, command and link: the ladder's recommended rung, with the ladder. */
export function fromLadder(
  ladder: AdviceStep[],
  lead = '',
): Pick<Warning, 'nextStep' | 'command' | 'href' | 'ladder'> {
  const step = ladder.find((s) => s.recommended) ?? ladder[0];
  if (!step) return { nextStep: lead.trim() || 'Nothing to do.', ladder };
  const later = ladder.filter((s) => ladder.indexOf(s) > ladder.indexOf(step));
  const command =
    step.id === 'bring-back' || step.id === 'restore-ucp'
      ? lines(ladder.find((s) => s.id === 'look')?.command, step.command)
      : step.command;
  const then =
    later.length > 0
      ? ` If that does not work: ${later.map((s) => s.title.charAt(0).toLowerCase() + s.title.slice(1)).join('; then ')}.`
      : '';
  return {
    nextStep: `${lead}${step.title}. ${step.when}${then}`,
    ...(command !== undefined && { command }),
    ...(step.href !== undefined && { href: step.href }),
    ladder,
  };
}
