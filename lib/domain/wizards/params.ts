// Wizard state in the URL (shareable links, and the warnings' "next step" links):
// /replicas/remove?replica=<id>&existing=<id>&step=preview. Junk values are dropped, not trusted.
import { isHostname, REPLICA_ID, type UcpCaSource } from '../commands';
import type { WizardRunState } from './run';

const CA_PATH = /^[A-Za-z0-9._/+][A-Za-z0-9._/+-]{0,1023}$/;

type Query = Pick<URLSearchParams, 'get'>;

const replicaId = (value: string | null): string | null =>
  value !== null && REPLICA_ID.test(value) ? value : null;

function port(value: string | null): number | null {
  if (value === null || !/^\d{1,5}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= 65535 ? n : null;
}

/** Next's searchParams object as URLSearchParams (first value of repeated keys). */
export function toSearchParams(
  record: Record<string, string | string[] | undefined>,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) params.set(key, first);
  }
  return params;
}

function query(entries: [string, string | number | null | undefined | false][]): string {
  const params = new URLSearchParams();
  for (const [key, value] of entries) {
    if (value !== null && value !== undefined && value !== false && value !== '')
      params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

// --- remove

export interface RemoveParams {
  replica: string | null;
  existing: string | null;
  /** Other failed replicas removed in the same command. */
  also: string[];
  step: 'choose' | 'preview';
}

export function parseRemoveParams(params: Query): RemoveParams {
  const replica = replicaId(params.get('replica'));
  const also = (params.get('also') ?? '')
    .split(',')
    .filter((id) => REPLICA_ID.test(id) && id !== replica);
  return {
    replica,
    existing: replicaId(params.get('existing')),
    also: [...new Set(also)],
    step: params.get('step') === 'preview' && replica !== null ? 'preview' : 'choose',
  };
}

export function removeQuery(p: RemoveParams): string {
  return query([
    ['replica', p.replica],
    ['existing', p.existing],
    ['also', p.also.join(',')],
    ['step', p.step === 'choose' ? null : p.step],
  ]);
}

// --- join

export type CaChoice = 'fetch' | 'insecure' | 'file';

export interface JoinParams {
  node: string | null;
  existing: string | null;
  replicaId: string | null;
  httpPort: number | null;
  httpsPort: number | null;
  ca: CaChoice;
  caPath: string | null;
  step: 'node' | 'options' | 'preview';
}

export function parseJoinParams(params: Query): JoinParams {
  const rawNode = params.get('node');
  const node = rawNode !== null && isHostname(rawNode) ? rawNode : null;
  const ca = params.get('ca');
  const caPath = params.get('caPath');
  const step = params.get('step');
  return {
    node,
    existing: replicaId(params.get('existing')),
    replicaId: replicaId(params.get('id')),
    httpPort: port(params.get('http')),
    httpsPort: port(params.get('https')),
    ca: ca === 'insecure' || ca === 'file' ? ca : 'fetch',
    caPath: caPath !== null && CA_PATH.test(caPath) ? caPath : null,
    step: node !== null && (step === 'options' || step === 'preview') ? step : 'node',
  };
}

export function joinQuery(p: JoinParams): string {
  return query([
    ['node', p.node],
    ['existing', p.existing],
    ['id', p.replicaId],
    ['http', p.httpPort],
    ['https', p.httpsPort],
    ['ca', p.ca === 'fetch' ? null : p.ca],
    ['caPath', p.ca === 'file' ? p.caPath : null],
    ['step', p.step === 'node' ? null : p.step],
  ]);
}

/** The CA source a join's parameters describe; a file choice without a path has none yet. */
export function caSourceOf(p: Pick<JoinParams, 'ca' | 'caPath'>): UcpCaSource | null {
  if (p.ca === 'insecure') return { kind: 'insecure' };
  if (p.ca === 'file') return p.caPath === null ? null : { kind: 'ca-file', path: p.caPath };
  return { kind: 'fetch' };
}

// --- repair

export interface RepairParams {
  keep: string | null;
  prune: boolean;
  step: 'keep' | 'preview';
}

export function parseRepairParams(params: Query): RepairParams {
  const keep = replicaId(params.get('replica'));
  return {
    keep,
    prune: params.get('prune') === '1',
    step: params.get('step') === 'preview' ? 'preview' : 'keep',
  };
}

export function repairQuery(p: RepairParams): string {
  return query([
    ['replica', p.keep],
    ['prune', p.prune ? '1' : null],
    ['step', p.step === 'keep' ? null : p.step],
  ]);
}

// --- a withdrawn run, planned again

/**
 * The wizard a run came from, at its impact step, with the run's inputs. Left out on purpose:
 * acknowledgements (given again against the cluster as it is now) and the replica the command ran
 * through (the run does not say whether the person chose it or the console suggested it, and
 * against a changed cluster the wizard suggests one afresh).
 */
export function planAgainHref(state: WizardRunState): string {
  switch (state.kind) {
    case 'remove': {
      const [replica = null, ...also] = state.replicaIds;
      return `/replicas/remove${removeQuery({ replica, existing: null, also, step: 'preview' })}`;
    }
    case 'join':
      return `/replicas/join${joinQuery({
        node: state.node,
        existing: null,
        replicaId: state.replicaId,
        httpPort: state.httpPort,
        httpsPort: state.httpsPort,
        ca: state.ca.kind === 'ca-file' ? 'file' : state.ca.kind,
        caPath: state.ca.kind === 'ca-file' ? state.ca.path : null,
        step: 'preview',
      })}`;
    case 'repair':
      return `/replicas/repair${repairQuery({ keep: state.keepReplicaId, prune: state.prune, step: 'preview' })}`;
  }
}
