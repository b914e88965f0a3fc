// From inputs to a plan: every number with the reason behind it.
import { failuresTolerated, majority } from '../quorum';
import {
  anyUpUnavailability,
  bothUpUnavailability,
  downtimeSeries,
  formatDowntime,
  quorumUnavailability,
  yearlyDowntimeMinutes,
} from './availability';
import { planHardware, planStorage } from './hardware';
import type { SizingInput, TierTarget } from './input';
import { planTotal, planZones } from './layout';
import type { CachePlan, SizingPlan, TierPlan } from './types';
import { membersFor } from './url';
import { sizingWarnings } from './warnings';
import { describeSpread, spreadOverZones } from './zones';

const TIERS = {
  dtr: {
    title: 'DTR replicas',
    one: 'replica',
    many: 'replicas',
    system: 'DTR',
    group: 'the registry',
  },
  ucp: {
    title: 'UCP managers',
    one: 'manager',
    many: 'managers',
    system: 'UCP',
    group: 'the control plane',
  },
} as const;

const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "about 157 min", "under 1 s". */
function aboutDowntime(minutes: number): string {
  const text = formatDowntime(minutes);
  return text.startsWith('<') ? `under ${text.slice(1).trim()}` : `about ${text}`;
}

function tierWhy(tier: 'dtr' | 'ucp', target: TierTarget, members: number): string {
  const w = TIERS[tier];
  const need = majority(members);
  const tolerated = failuresTolerated(members);
  if (target.by === 'failures') {
    if (target.failures === 0) {
      return `Tolerating no failure needs 1 ${w.one} — and any failure stops ${w.group}.`;
    }
    return `To survive ${s(target.failures, 'failure')}, ${w.system} needs 2 × ${target.failures} + 1 = ${members} ${w.many}: a majority of ${need} stays up while ${target.failures} ${target.failures === 1 ? 'is' : 'are'} down.`;
  }
  const even =
    members % 2 === 0 ? ` — no more than ${members - 1} would, with one machine less` : '';
  return `You chose ${members} ${members === 1 ? w.one : w.many}: the majority is ${need}, so ${s(tolerated, 'failure')} can be survived${even}.`;
}

function planTier(
  tier: 'dtr' | 'ucp',
  target: TierTarget,
  input: SizingInput,
  zoneStart: number,
): TierPlan {
  const w = TIERS[tier];
  const members = membersFor(target);
  const spread = spreadOverZones(members, input.zones, zoneStart);
  const unavailability = quorumUnavailability(members, input.availability);
  const downtimeMinutes = yearlyDowntimeMinutes(unavailability);
  return {
    tier,
    title: w.title,
    target,
    members,
    majority: majority(members),
    failuresTolerated: failuresTolerated(members),
    why: tierWhy(tier, target, members),
    zones: { ...spread, why: describeSpread(spread, w) },
    availability: {
      unavailability,
      downtimeMinutes,
      why: `At least ${majority(members)} of ${members} up, each ${input.availability}% of the time: ${aboutDowntime(downtimeMinutes)} down a year.`,
    },
  };
}

function planCaches(input: SizingInput): CachePlan {
  const { cacheRegions: regions, cachesPerRegion: perRegion } = input;
  if (regions === 0) {
    return {
      regions,
      perRegion: 0,
      nodes: 0,
      why: 'No caches: every pull goes to the DTR replicas, fine when users sit near the registry.',
    };
  }
  const ha =
    perRegion > 1
      ? `${perRegion} per region behind a load balancer keep pulls going when one fails`
      : 'one per region: when it is down, pulls through it fail';
  return {
    regions,
    perRegion,
    nodes: regions * perRegion,
    why: `${s(regions, 'region')} × ${perRegion}: a cache near each group of distant users; ${ha}.`,
  };
}

export function buildSizingPlan(input: SizingInput): SizingPlan {
  const ucp = planTier('ucp', input.ucp, input, 0);
  const dtrStart = input.dtrOnManagers ? 0 : ucp.members % input.zones;
  const dtr = planTier('dtr', input.dtr, input, dtrStart);
  const caches = planCaches(input);
  const hardware = planHardware(input, dtr.members);
  const registryDown = bothUpUnavailability(
    dtr.availability.unavailability,
    ucp.availability.unavailability,
  );
  const cacheDown =
    caches.nodes > 0 ? anyUpUnavailability(caches.perRegion, input.availability) : null;
  const chartMax = Math.max(7, dtr.members, ucp.members);
  return {
    input,
    dtr,
    ucp,
    caches,
    workers: {
      nodes: input.workers,
      why:
        input.workers === 0
          ? 'No application workers: this plan covers only the control plane and the registry.'
          : 'Your own services run here, off the manager and DTR nodes, so the control plane and registry keep their resources.',
    },
    total: planTotal(input, dtr, ucp, caches),
    zones: planZones(input, dtr, ucp),
    availability: {
      perNodePercent: input.availability,
      registry: {
        unavailability: registryDown,
        downtimeMinutes: yearlyDowntimeMinutes(registryDown),
        why: `DTR signs users in through UCP, so the registry needs both quorums: ${aboutDowntime(yearlyDowntimeMinutes(registryDown))} down a year.`,
      },
      caches:
        cacheDown === null
          ? null
          : {
              unavailability: cacheDown,
              downtimeMinutes: yearlyDowntimeMinutes(cacheDown),
              why: `A region's cache is up while any of its ${caches.perRegion} nodes is: ${aboutDowntime(yearlyDowntimeMinutes(cacheDown))} down a year per region.`,
            },
      series: downtimeSeries(input.availability, chartMax),
      why: 'Binomial model: a tier is up while a majority of its nodes is up, nodes failing independently. Zone-wide failures and maintenance are not in it.',
    },
    hardware,
    storage: planStorage(input, dtr.members),
    warnings: sizingWarnings(input, dtr, ucp, hardware),
  };
}
