// The operational commands of the advice ladder — look at a replica's containers, start what
// stopped, read a container's log, restart one — run through a UCP client bundle (UCP's Docker
// API reaches every node; `--filter node=` narrows a listing to one). Every value is validated
// (host names, 12-hex replica IDs, known component names) and shell-quoted; what cannot be
// validated gets no command.
import { isHostname, REPLICA_ID } from '../commands';
import { continued, quoteWords } from '../shell';

/** DTR 2.x containers, named `dtr-<component>-<replica id>`. */
export const DTR_COMPONENTS = [
  'api',
  'garant',
  'jobrunner',
  'nginx',
  'notary-server',
  'notary-signer',
  'registry',
  'rethinkdb',
  'scanningstore',
] as const;
export type DtrComponent = (typeof DTR_COMPONENTS)[number];

export const isComponent = (value: string): value is DtrComponent =>
  (DTR_COMPONENTS as readonly string[]).includes(value);

export const containerName = (component: DtrComponent, replicaId: string) =>
  `dtr-${component}-${replicaId}`;

// A backslash and a t: docker's --format turns it into a tab.
const FORMAT = '{{.Names}}\\t{{.Status}}';

/** `docker ps` of the DTR containers (of one node, or all), stopped ones included. */
export function lookCommand(node: string | null, namePrefix = 'dtr-'): string | undefined {
  if (node !== null && !isHostname(node)) return undefined;
  return continued([
    quoteWords(['docker', 'ps', '-a', '--filter', `name=${namePrefix}`]),
    ...(node !== null ? [quoteWords(['--filter', `node=${node}`])] : []),
    quoteWords(['--format', FORMAT]),
  ]);
}

/**
 * Start a replica's stopped containers: by name when UCP listed which stopped, else every
 * exited container whose name ends in the replica's ID.
 */
export function startCommand(
  replicaId: string,
  stopped: readonly string[] | null,
): string | undefined {
  if (!REPLICA_ID.test(replicaId)) return undefined;
  const known = (stopped ?? []).filter(isComponent);
  if (known.length > 0) {
    // Two names to a line, so four stopped containers do not run off the box.
    const names = known.map((c) => containerName(c, replicaId));
    const rows: string[][] = [];
    for (let i = 0; i < names.length; i += 2) rows.push(names.slice(i, i + 2));
    return continued(rows.map((row, i) => quoteWords(i === 0 ? ['docker', 'start', ...row] : row)));
  }
  // Only validated hex goes into the substitution.
  return continued([
    'docker start $(docker ps -aq',
    `--filter name=-${replicaId}`,
    '--filter status=exited)',
  ]);
}

/** The last lines of one container's log. */
export function logsCommand(component: DtrComponent, replicaId: string): string | undefined {
  if (!REPLICA_ID.test(replicaId)) return undefined;
  return quoteWords(['docker', 'logs', '--tail', '50', containerName(component, replicaId)]);
}

export function restartCommand(component: DtrComponent, replicaId: string): string | undefined {
  if (!REPLICA_ID.test(replicaId)) return undefined;
  return quoteWords(['docker', 'restart', containerName(component, replicaId)]);
}

/** Several commands, each run on its own (one after the other, whatever the first answered). */
export function lines(...commands: (string | undefined)[]): string | undefined {
  const present = commands.filter((c): c is string => c !== undefined);
  return present.length > 0 ? present.join('\n') : undefined;
}
