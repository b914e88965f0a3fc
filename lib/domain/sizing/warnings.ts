// What is wrong with a plan, in the planner's terms: each warning says the consequence and the fix.
import type { Severity } from '../types';
import { MAX_RECOMMENDED_MEMBERS, failuresTolerated, majority } from '../quorum';
import { DTR_NODE_MINIMUM, DTR_NODE_RECOMMENDED } from './hardware';
import type { SizingInput } from './input';
import type { HardwarePlan, SizingWarning, SizingWarningCode, TierPlan } from './types';
import { zoneName } from './zones';

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

interface TierWords {
  tier: 'DTR' | 'UCP';
  one: string;
  many: string;
  group: string;
  codes: {
    single: SizingWarningCode;
    two: SizingWarningCode;
    even: SizingWarningCode;
    tooMany: SizingWarningCode;
  };
}

const WORDS: Record<'dtr' | 'ucp', TierWords> = {
  dtr: {
    tier: 'DTR',
    one: 'replica',
    many: 'replicas',
    group: 'the registry',
    codes: {
      single: 'DTR_SINGLE_REPLICA',
      two: 'DTR_TWO_REPLICAS',
      even: 'DTR_EVEN_REPLICAS',
      tooMany: 'DTR_TOO_MANY_REPLICAS',
    },
  },
  ucp: {
    tier: 'UCP',
    one: 'manager',
    many: 'managers',
    group: 'the control plane',
    codes: {
      single: 'UCP_SINGLE_MANAGER',
      two: 'UCP_TWO_MANAGERS',
      even: 'UCP_EVEN_MANAGERS',
      tooMany: 'UCP_TOO_MANY_MANAGERS',
    },
  },
};

function countWarnings(plan: TierPlan): SizingWarning[] {
  const w = WORDS[plan.tier];
  const n = plan.members;
  if (n === 1) {
    return [
      {
        code: w.codes.single,
        severity: 'info',
        title: `One ${w.tier} ${w.one}: no high availability`,
        detail: `If it or its node fails, ${w.group} is down until it is repaired or restored from backup.`,
        fix: `Tolerate 1 failure (3 ${w.many}) for high availability.`,
      },
    ];
  }
  if (n === 2) {
    return [
      {
        code: w.codes.two,
        severity: 'warning',
        title: `2 ${w.tier} ${w.many} tolerate no failure`,
        detail: `A majority of 2 is 2: losing either stops ${w.group}. That is worse than 1 ${w.one} — the same tolerance with twice the machines that can fail.`,
        fix: `Use 3 ${w.many} (they survive 1 failure), or 1 if you accept no high availability.`,
      },
    ];
  }
  const warnings: SizingWarning[] = [];
  if (n % 2 === 0) {
    warnings.push({
      code: w.codes.even,
      severity: 'warning',
      title: `${n} ${w.tier} ${w.many} survive no more failures than ${n - 1}`,
      detail: `${n} ${w.many} tolerate ${failuresTolerated(n)}, the same as ${n - 1}, with one more machine that can fail and one more copy every write waits for. A split into two halves stops ${w.group}.`,
      fix:
        n + 1 <= MAX_RECOMMENDED_MEMBERS
          ? `Use ${n - 1} or ${n + 1} ${w.many}.`
          : `Use ${n - 1} ${w.many}.`,
    });
  }
  if (n > MAX_RECOMMENDED_MEMBERS) {
    const most = MAX_RECOMMENDED_MEMBERS;
    warnings.push({
      code: w.codes.tooMany,
      severity: 'warning',
      title: `${n} ${w.tier} ${w.many}: writes slow down`,
      detail: `Every write waits for a majority of ${n} (${majority(n)} ${w.many}), so each ${w.one} past ${most} slows writes without a gain worth it: ${most} ${w.many} already survive ${failuresTolerated(most)} failures. The console warns above ${most} because the vendor sizes at 3, 5 or ${most} and warns that too many replicas degrade performance.`,
      fix: `Use ${most} or ${most - 2} ${w.many}, spread over zones.`,
    });
  }
  return warnings;
}

function zoneWarnings(input: SizingInput, tiers: TierPlan[]): SizingWarning[] {
  if (input.zones === 1) {
    return [
      {
        code: 'SINGLE_ZONE',
        severity: 'warning',
        title: 'Everything in a single failure zone',
        detail:
          'A power, network or rack failure in that zone stops DTR and UCP together, whatever the replica and manager counts.',
        fix: 'Spread the nodes over 3 zones (racks, rooms or cloud availability zones).',
      },
    ];
  }
  const failing = tiers.filter((t) => t.members > 1 && !t.zones.survivesZoneLoss);
  if (failing.length === 0) return [];
  const two = input.zones === 2;
  return [
    {
      code: 'ZONE_LOSS_LOSES_QUORUM',
      severity: 'warning',
      title: `Losing one zone loses quorum: ${failing.map((t) => t.title).join(' and ')}`,
      detail: failing
        .map((t) => {
          const fullest = t.zones.perZone.indexOf(Math.max(...t.zones.perZone));
          return `${t.title}: zone ${zoneName(fullest)} holds ${t.zones.perZone[fullest]} of ${t.members}, and ${t.zones.worstRemaining} left is below the majority of ${t.majority}.`;
        })
        .join(' '),
      fix: two
        ? 'No count fixes 2 zones: add a third zone, even a small one for one tie-breaking manager and replica.'
        : failing
            .map((t) =>
              t.zones.alternatives.length > 0
                ? `${t.title}: use ${t.zones.alternatives.join(' or ')}.`
                : `${t.title}: add zones.`,
            )
            .join(' '),
    },
  ];
}

function cacheWarnings(input: SizingInput): SizingWarning[] {
  if (input.cacheRegions === 0) return [];
  if (input.cachesPerRegion === 1) {
    return [
      {
        code: 'CACHE_SINGLE_NODE',
        severity: 'info',
        title: 'One cache node per region',
        detail: 'When a region’s cache node is down, pulls through it fail until it is back.',
        fix: 'For cache high availability use 2 or more cache nodes per region behind a load balancer, on shared storage.',
      },
    ];
  }
  if (input.cacheStorage === 'local') {
    return [
      {
        code: 'CACHES_WITHOUT_SHARED_STORAGE',
        severity: 'warning',
        title: `${input.cachesPerRegion} cache nodes per region without shared storage`,
        detail:
          'Each cache node would keep its own copy: a layer one node fetched is missing on the others, so pulls behind the load balancer fetch it again from DTR or see inconsistent content.',
        fix: 'Give each region’s cache nodes one shared store with read-after-write consistency: an object store, or NFS exported with rw,root_squash,no_wdelay.',
      },
    ];
  }
  return [];
}

function hardwareWarnings(hardware: HardwarePlan): SizingWarning[] {
  const below = hardware.checks.filter((c) => c.verdict === 'below-minimum');
  const short = hardware.checks.filter((c) => c.verdict === 'below-recommended');
  const list = (checks: typeof below, key: 'minimum' | 'recommended') =>
    checks
      .map((c) => {
        const unit = c.resource === 'vcpus' ? '' : ' GB';
        return `${c.label} ${c.planned}${unit} (${key} ${c[key]}${unit})`;
      })
      .join(', ');
  const warnings: SizingWarning[] = [];
  if (below.length > 0) {
    warnings.push({
      code: 'NODE_BELOW_MINIMUM',
      severity: 'critical',
      title: 'DTR nodes below the minimum',
      detail: `${list(below, 'minimum')}: DTR is not supported on these nodes and may fail under load.`,
      fix: `Give each DTR node at least ${DTR_NODE_MINIMUM.memoryGb} GB memory, ${DTR_NODE_MINIMUM.vcpus} vCPUs and ${DTR_NODE_MINIMUM.diskGb} GB disk.`,
    });
  }
  if (short.length > 0) {
    warnings.push({
      code: 'NODE_BELOW_RECOMMENDED',
      severity: 'info',
      title: 'DTR nodes below the recommended size',
      detail: `${list(short, 'recommended')}: enough to run, tight for production load and scans.`,
      fix: `Recommended per DTR node: ${DTR_NODE_RECOMMENDED.memoryGb} GB memory, ${DTR_NODE_RECOMMENDED.vcpus} vCPUs, ${DTR_NODE_RECOMMENDED.diskGb}–${DTR_NODE_RECOMMENDED.diskGbMax} GB disk.`,
    });
  }
  return warnings;
}

export function sizingWarnings(
  input: SizingInput,
  dtr: TierPlan,
  ucp: TierPlan,
  hardware: HardwarePlan,
): SizingWarning[] {
  const warnings = [...countWarnings(dtr), ...countWarnings(ucp)];
  if (input.dtrOnManagers) {
    warnings.push({
      code: 'DTR_ON_MANAGERS',
      severity: 'warning',
      title: 'DTR on UCP manager nodes',
      detail:
        'DTR must run on UCP worker nodes. On managers it competes with the control plane for memory and disk, and one node failure costs a manager and a replica at once.',
      fix: 'Give DTR dedicated worker nodes (the plan adds them to the total).',
    });
  }
  warnings.push(
    ...zoneWarnings(input, [dtr, ucp]),
    ...cacheWarnings(input),
    ...hardwareWarnings(hardware),
  );
  return warnings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
