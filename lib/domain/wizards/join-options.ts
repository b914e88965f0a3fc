// The join's options a person types (replica ID, ports, CA path): their defaults, and the
// words for what is wrong with them, shared by the form (at each field) and the plan (the
// server's refusal) so both say the same thing.
import { listOf } from '../assess/format';
import { isPort, REPLICA_ID } from '../commands';
import type { ClusterSnapshot } from '../types';
import type { CaChoice } from './params';

/** What the bootstrapper uses when no port flag is given (DESIGN.md §2). */
export const TOOL_HTTP_PORT = 80;
export const TOOL_HTTPS_PORT = 443;

export const JOIN_INPUT_WORDS = {
  port: 'A port is a whole number from 1 to 65535.',
  samePort: 'HTTPS port must differ from HTTP port.',
  replicaId: 'A replica ID is 12 lowercase hex characters.',
  caPath: 'Give a path of letters, digits and . _ / + - that does not start with "-".',
} as const;

const CA_PATH = /^[A-Za-z0-9._/+][A-Za-z0-9._/+-]{0,1023}$/;

export interface PortPair {
  httpPort: number;
  httpsPort: number;
}

export interface JoinPortDefaults {
  /** The pair every replica uses: the new replica's default. null when they differ, or none is listed. */
  ports: PortPair | null;
  /** Why there is no default (the replicas disagree), for the options step; else null. */
  note: string | null;
}

/**
 * A new replica should answer on the ports the load balancer already sends its peers' traffic
 * to: the existing replicas' pair when they all use one. When they differ the console cannot
 * guess which one the load balancer expects, so it offers none and says why.
 */
export function joinPortDefaults(status: Pick<ClusterSnapshot, 'dtr'>): JoinPortDefaults {
  const byPair = new Map<string, { pair: PortPair; ids: string[] }>();
  for (const replica of status.dtr.replicas) {
    const key = `${replica.httpPort}/${replica.httpsPort}`;
    const entry = byPair.get(key);
    if (entry) entry.ids.push(replica.id);
    else
      byPair.set(key, {
        pair: { httpPort: replica.httpPort, httpsPort: replica.httpsPort },
        ids: [replica.id],
      });
  }
  const pairs = [...byPair.entries()];
  const [only] = pairs;
  if (pairs.length <= 1) return { ports: only?.[1].pair ?? null, note: null };
  const uses = pairs.map(([key, { ids }]) => `${key} on ${listOf(ids, 3)}`);
  return {
    ports: null,
    note:
      `The replicas use different HTTP/HTTPS ports (${listOf(uses)}), so there is no default: ` +
      `give the ports your load balancer expects for the new replica, or the tool uses ${TOOL_HTTP_PORT}/${TOOL_HTTPS_PORT}.`,
  };
}

/**
 * The port flags the command sets: what the person chose, else the replicas' shared pair where
 * it differs from the tool's own default (so a default cluster's command stays as short as ever).
 */
export function joinPortFlags(
  input: { httpPort?: number; httpsPort?: number },
  defaults: JoinPortDefaults,
): { httpPort?: number; httpsPort?: number } {
  const shared = defaults.ports;
  const httpPort =
    input.httpPort ?? (shared && shared.httpPort !== TOOL_HTTP_PORT ? shared.httpPort : undefined);
  const httpsPort =
    input.httpsPort ??
    (shared && shared.httpsPort !== TOOL_HTTPS_PORT ? shared.httpsPort : undefined);
  return {
    ...(httpPort !== undefined && { httpPort }),
    ...(httpsPort !== undefined && { httpsPort }),
  };
}

export type JoinOptionField = 'replicaId' | 'httpPort' | 'httpsPort' | 'caPath';

/** A problem per field, in JOIN_INPUT_WORDS. */
export type JoinOptionProblems = Partial<Record<JoinOptionField, string>>;

/** What the new replica's values are wrong about; empty when the plan may use them. */
export function joinInputProblems(
  input: { replicaId?: string; httpPort?: number; httpsPort?: number },
  defaults: JoinPortDefaults,
): JoinOptionProblems {
  const problems: JoinOptionProblems = {};
  if (input.replicaId !== undefined && !REPLICA_ID.test(input.replicaId))
    problems.replicaId = JOIN_INPUT_WORDS.replicaId;
  if (input.httpPort !== undefined && !isPort(input.httpPort))
    problems.httpPort = JOIN_INPUT_WORDS.port;
  if (input.httpsPort !== undefined && !isPort(input.httpsPort))
    problems.httpsPort = JOIN_INPUT_WORDS.port;
  // Compared as the replica will run: a port left out is the default the command ends up with.
  const flags = joinPortFlags(input, defaults);
  if (
    problems.httpPort === undefined &&
    problems.httpsPort === undefined &&
    (flags.httpPort ?? TOOL_HTTP_PORT) === (flags.httpsPort ?? TOOL_HTTPS_PORT)
  )
    problems.httpsPort = JOIN_INPUT_WORDS.samePort;
  return problems;
}

/** The options form's text, as typed ('' for a field left empty). */
export interface JoinOptionDrafts {
  replicaId: string;
  httpPort: string;
  httpsPort: string;
  caPath: string;
}

const portOf = (text: string): number | undefined =>
  text === '' ? undefined : /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;

/** joinInputProblems for the form's text, plus the CA path when the person gives a file. */
export function joinOptionProblems(
  drafts: JoinOptionDrafts,
  ca: CaChoice,
  defaults: JoinPortDefaults,
): JoinOptionProblems {
  const httpPort = portOf(drafts.httpPort);
  const httpsPort = portOf(drafts.httpsPort);
  return {
    ...joinInputProblems(
      {
        ...(drafts.replicaId !== '' && { replicaId: drafts.replicaId }),
        ...(httpPort !== undefined && { httpPort }),
        ...(httpsPort !== undefined && { httpsPort }),
      },
      defaults,
    ),
    ...(ca === 'file' && !CA_PATH.test(drafts.caPath) && { caPath: JOIN_INPUT_WORDS.caPath }),
  };
}
