// What a quorum state means, in words a tired admin reads correctly at 3 a.m.
import type { Quorum } from '@/lib/domain/types';
import { plural } from '@/lib/format';

export type QuorumGroup = 'dtr' | 'ucp' | 'swarm';
export type BannerStatus = Quorum['status'];

interface GroupWords {
  title: string;
  source: string;
  noun: string;
  /** What losing quorum stops. */
  stops: string;
  /** What an outage means to people. */
  outage: string;
}

export const GROUP_WORDS: Record<QuorumGroup, GroupWords> = {
  dtr: {
    title: 'DTR replicas',
    source: 'DTR',
    noun: 'replica',
    stops: 'stops the registry',
    outage: 'the registry is down: logins, pushes and pulls fail',
  },
  ucp: {
    title: 'UCP managers',
    source: 'UCP',
    noun: 'manager',
    stops: 'stops the control plane',
    outage:
      'the control plane is down: logins and cluster changes fail (running containers keep running)',
  },
  swarm: {
    title: 'Swarm managers',
    source: 'the Swarm',
    noun: 'manager',
    stops: 'stops the Swarm control plane',
    outage: 'the Swarm cannot schedule or change services (running containers keep running)',
  },
};

/** The banner's one-line verdict. */
export function quorumHeadline(group: QuorumGroup, quorum: Quorum, status: BannerStatus): string {
  const words = GROUP_WORDS[group];
  const unknown = quorum.unknown ?? 0;
  const down = quorum.members - quorum.healthy - unknown;
  const unsure = unknown > 0 ? `, ${unknown} unknown` : '';
  switch (status) {
    case 'unknown':
      return quorum.members === 0
        ? `Unknown — the console has not been able to read ${words.source} yet`
        : `Cannot tell — ${quorum.healthy} of ${plural(quorum.members, words.noun)} known up, ${unknown} unknown: they decide whether it works`;
    case 'healthy':
      return quorum.failuresTolerated > 0
        ? `Healthy — can lose ${quorum.failuresTolerated} of ${plural(quorum.members, words.noun)} and keep working`
        : `Healthy, but no margin — with ${plural(quorum.members, words.noun)}, losing any one ${words.stops}`;
    case 'degraded':
      return `Degraded — ${plural(down, words.noun)} down${unsure}, can still lose ${quorum.margin} more`;
    case 'at-risk':
      return unknown > 0
        ? `Holds either way — but if the ${unknown} unknown ${unknown === 1 ? words.noun : `${words.noun}s`} ${unknown === 1 ? 'is' : 'are'} down, one more failure ${words.stops}`
        : `At risk — one more ${words.noun} failure ${words.stops}`;
    case 'lost':
      return `Quorum lost — ${words.outage}`;
  }
}

/** Margin in words: "1 more failure", "none", "2 short of a majority". */
export function describeMargin(margin: number): string {
  if (margin > 0) return `${plural(margin, 'more failure')}`;
  if (margin === 0) return 'none';
  return `${-margin} short of a majority`;
}
