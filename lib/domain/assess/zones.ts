// Failure zones from a node label: ZONE_CONCENTRATION (losing one zone loses a quorum).
import { failuresTolerated, majority } from '../quorum';
import type { Warning } from '../types';
import { managers, nodeByHostname, type AssessContext, type Rule } from './context';
import { listOf, plural } from './format';

interface Member {
  /** Replica ID or manager hostname. */
  name: string;
  zone: string | null;
}

interface Group {
  label: string;
  unit: string;
  members: Member[];
}

function groups(ctx: AssessContext): Group[] {
  const zoneOf = (hostname: string) => nodeByHostname(ctx, hostname)?.labels[ctx.zoneLabel] || null;
  return [
    {
      label: 'DTR',
      unit: 'DTR replica',
      members: ctx.snapshot.dtr.replicas.map((r) => ({ name: r.id, zone: zoneOf(r.node) })),
    },
    {
      label: 'UCP',
      unit: 'UCP manager',
      members: managers(ctx).map((n) => ({ name: n.hostname, zone: zoneOf(n.hostname) })),
    },
  ];
}

export const zoneConcentration: Rule = (ctx) => {
  const zones = [
    ...new Set(
      ctx.snapshot.ucp.nodes
        .map((node) => node.labels[ctx.zoneLabel])
        .filter((z): z is string => !!z),
    ),
  ].sort();
  if (zones.length < 2) return [];
  const all = groups(ctx);
  return zones.flatMap((zone): Warning[] => {
    const lines: string[] = [];
    const subjects: string[] = [];
    const hit: string[] = [];
    for (const group of all) {
      const n = group.members.length;
      // Groups that cannot survive any failure get their own size warning; no placement fixes them.
      if (failuresTolerated(n) === 0) continue;
      const inZone = group.members.filter((m) => m.zone === zone).map((m) => m.name);
      if (n - inZone.length >= majority(n)) continue;
      hit.push(group.label);
      subjects.push(...inZone);
      const unlabelled = group.members.filter((m) => m.zone === null).length;
      lines.push(
        `It holds ${inZone.length} of ${plural(n, group.unit)} (${listOf(inZone)}); without it ${n - inZone.length} ${n - inZone.length === 1 ? 'remains' : 'remain'}, ` +
          `fewer than the ${majority(n)} a majority needs.` +
          (unlabelled > 0
            ? ` (${unlabelled} without a ${ctx.zoneLabel} label counted outside every zone.)`
            : ''),
      );
    }
    if (hit.length === 0) return [];
    const twoZones =
      zones.length === 2
        ? ' With only two zones one of them always holds a majority: surviving a zone failure takes at least three.'
        : '';
    return [
      {
        code: 'ZONE_CONCENTRATION',
        severity: 'warning',
        title: `Losing zone ${zone} would take down ${hit.join(' and ')}`,
        detail: `${lines.join(' ')}${twoZones}`,
        nextStep:
          'Spread members so that no zone holds a majority, moving one member at a time: for DTR, join a replica on a worker in ' +
          `another zone, then remove one from ${zone}; for UCP, promote a node in another zone, then demote one in ${zone}.`,
        subjects: [`${ctx.zoneLabel}=${zone}`, ...subjects],
        href: `/nodes?label=${encodeURIComponent(`${ctx.zoneLabel}=${zone}`)}`,
      },
    ];
  });
};
