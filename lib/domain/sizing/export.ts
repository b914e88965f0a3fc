// The plan as files to hand on: JSON (the plan object) and Markdown (tables a reviewer can read).
import { toleranceTable } from '../quorum';
import { formatAvailability, formatDowntime } from './availability';
import { CACHE_NFS_EXPORT } from './hardware';
import type { SizingInput } from './input';
import type { SizingPlan } from './types';
import { countOf } from './words';

export interface InputLine {
  label: string;
  value: string;
}

/** The inputs in words, for the print view and the exports. */
export function describeInputs(input: SizingInput): InputLine[] {
  const tier = (t: SizingInput['dtr'], one: string, many: string) =>
    t.by === 'failures'
      ? `tolerate ${countOf(t.failures, 'failure')}`
      : countOf(t.members, one, many);
  const lines: InputLine[] = [
    { label: 'DTR', value: tier(input.dtr, 'replica', 'replicas') },
    { label: 'UCP managers', value: tier(input.ucp, 'manager', 'managers') },
    { label: 'Application workers', value: String(input.workers) },
    { label: 'Failure zones', value: String(input.zones) },
    { label: 'Per-node availability', value: `${input.availability}%` },
    { label: 'DTR on manager nodes', value: input.dtrOnManagers ? 'yes' : 'no' },
    {
      label: 'DTR caches',
      value:
        input.cacheRegions === 0
          ? 'none'
          : `${countOf(input.cacheRegions, 'region')} × ${countOf(input.cachesPerRegion, 'node')}, ${input.cacheStorage} storage`,
    },
  ];
  const size = [
    input.memoryGb !== null && `${input.memoryGb} GB memory`,
    input.vcpus !== null && `${input.vcpus} vCPUs`,
    input.diskGb !== null && `${input.diskGb} GB disk`,
  ].filter(Boolean);
  lines.push({ label: 'DTR node size', value: size.length > 0 ? size.join(', ') : 'not given' });
  return lines;
}

export function planToJson(plan: SizingPlan, link?: string): string {
  return `${JSON.stringify({ ...(link !== undefined && { link }), ...plan }, null, 2)}\n`;
}

const cell = (value: string | number) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function planToMarkdown(plan: SizingPlan, link?: string): string {
  const { dtr, ucp, caches, workers, total, zones, availability, hardware, storage } = plan;
  const marks = (members: number) =>
    [dtr.members === members && 'DTR', ucp.members === members && 'UCP'].filter(Boolean).join(', ');
  const maxTable = Math.max(7, dtr.members, ucp.members);
  const out: string[] = ['# DTR / UCP sizing plan', ''];
  if (link) out.push(`Plan link: <${link}>`, '');
  out.push(
    '## Inputs',
    '',
    table(
      ['Input', 'Value'],
      describeInputs(plan.input).map((l) => [l.label, l.value]),
    ),
    '',
  );
  out.push(
    '## Plan',
    '',
    table(
      ['Output', 'Value', 'Why'],
      [
        ['DTR replicas', dtr.members, dtr.why],
        ['DTR majority / failures tolerated', `${dtr.majority} / ${dtr.failuresTolerated}`, ''],
        ['UCP managers', ucp.members, ucp.why],
        ['UCP majority / failures tolerated', `${ucp.majority} / ${ucp.failuresTolerated}`, ''],
        ['Cache nodes', caches.nodes, caches.why],
        ['Application workers', workers.nodes, workers.why],
        ['Total nodes', total.nodes, total.why],
      ],
    ),
    '',
    total.driverWhy,
    '',
    ...total.sensitivity.map((line) => `- ${line}`),
    '',
  );
  out.push(
    '## Failure tolerance',
    '',
    table(
      ['Members', 'Majority', 'Failures tolerated', 'Plan'],
      toleranceTable(maxTable).map((r) => [
        r.members,
        r.majority,
        r.failuresTolerated,
        marks(r.members),
      ]),
    ),
    '',
  );
  out.push(
    `## Zones (${zones.zones})`,
    '',
    table(
      ['Zone', 'UCP managers', 'DTR replicas', 'Application workers', 'Nodes'],
      zones.rows.map((r) => [r.zone, r.managers, r.replicas, r.workers, r.nodes]),
    ),
    '',
    zones.why,
    '',
    `- UCP managers: ${ucp.zones.why}`,
    `- DTR replicas: ${dtr.zones.why}`,
    '',
  );
  out.push(
    `## Estimated downtime per year (per-node availability ${availability.perNodePercent}%)`,
    '',
    table(
      ['Members', 'Majority', 'Availability', 'Downtime / year', 'Plan'],
      availability.series.map((p) => [
        p.members,
        p.majority,
        formatAvailability(p.unavailability),
        formatDowntime(p.downtimeMinutes),
        marks(p.members),
      ]),
    ),
    '',
    `- DTR: ${dtr.availability.why}`,
    `- UCP: ${ucp.availability.why}`,
    `- Registry: ${availability.registry.why}`,
    ...(availability.caches ? [`- Caches: ${availability.caches.why}`] : []),
    `- ${availability.why}`,
    '',
  );
  const min = hardware.minimum;
  const rec = hardware.recommended;
  out.push(
    '## DTR node hardware',
    '',
    table(
      ['Size', 'Memory', 'vCPUs', 'Disk'],
      [
        [
          'Minimum per node',
          `${min.perNode.memoryGb} GB`,
          min.perNode.vcpus,
          `${min.perNode.diskGb} GB`,
        ],
        [
          'Recommended per node',
          `${rec.perNode.memoryGb} GB`,
          rec.perNode.vcpus,
          `${rec.perNode.diskGb}–${rec.perNode.diskGbMax} GB`,
        ],
        [
          `Minimum, ${countOf(hardware.nodes, 'node')}`,
          `${min.total.memoryGb} GB`,
          min.total.vcpus,
          `${min.total.diskGb} GB`,
        ],
        [
          `Recommended, ${countOf(hardware.nodes, 'node')}`,
          `${rec.total.memoryGb} GB`,
          rec.total.vcpus,
          `${rec.total.diskGb}–${rec.total.diskGbMax} GB`,
        ],
      ],
    ),
    '',
    hardware.why,
    '',
  );
  out.push(
    '## Shared storage',
    '',
    `- DTR: ${storage.dtr.requirement} Backends: ${storage.dtr.backends.join(', ')}.`,
  );
  if (storage.caches) {
    out.push(`- Caches: ${storage.caches.requirement}`);
    if (storage.caches.nfsExport) out.push(`- NFS export for caches: \`${CACHE_NFS_EXPORT}\``);
  }
  out.push('');
  out.push('## Warnings', '');
  if (plan.warnings.length === 0) out.push('None.');
  for (const w of plan.warnings) {
    out.push(`- **${w.title}** (${w.severity}, ${w.code}): ${w.detail} Fix: ${w.fix}`);
  }
  out.push('');
  return out.join('\n');
}

/** "dtr-sizing-3r-3m-10n": a file name that says what is in it. */
export function exportFileName(plan: SizingPlan, extension: 'json' | 'md'): string {
  return `dtr-sizing-${plan.dtr.members}r-${plan.ucp.members}m-${plan.total.nodes}n.${extension}`;
}
