import { describe, expect, it } from 'vitest';
import { describeInputs, exportFileName, planToJson, planToMarkdown } from './export';
import { DEFAULT_SIZING_INPUT } from './input';
import { buildSizingPlan } from './plan';

const plan = buildSizingPlan({
  ...DEFAULT_SIZING_INPUT,
  dtr: { by: 'count', members: 4 },
  availability: 99,
  cacheRegions: 1,
  cachesPerRegion: 2,
});
const LINK = 'https://console.example/sizing?replicas=4';

describe('plan exports', () => {
  it('JSON is the plan object, with the link that restores it', () => {
    const parsed = JSON.parse(planToJson(plan, LINK));
    expect(parsed.link).toBe(LINK);
    expect(parsed.dtr.members).toBe(4);
    expect(parsed.input).toEqual(plan.input);
    expect(parsed.warnings.map((w: { code: string }) => w.code)).toContain('DTR_EVEN_REPLICAS');
  });

  it('Markdown has the plan, the highlighted tolerance table, zones, downtime, hardware, storage and warnings', () => {
    const md = planToMarkdown(plan, LINK);
    expect(md).toContain(`<${LINK}>`);
    expect(md).toMatch(/^\| DTR replicas \| 4 \| You chose 4 replicas/m);
    expect(md).toMatch(/^\| 4 \| 3 \| 1 \| DTR \|$/m);
    expect(md).toMatch(/^\| 3 \| 2 \| 1 \| UCP \|$/m);
    expect(md).toMatch(/^\| 3 \| 2 \| 99\.970% \| 2\.6 h \| UCP \|$/m);
    expect(md).toContain('## Zones (3)');
    expect(md).toMatch(/^\| Recommended, 4 nodes \| 64 GB \| 16 \| 100–400 GB \|$/m);
    expect(md).toContain('`/dtr-cache *(rw,root_squash,no_wdelay)`');
    expect(md).toContain('**4 DTR replicas survive no more failures than 3**');
  });

  it('escapes table pipes', () => {
    const md = planToMarkdown({ ...plan, dtr: { ...plan.dtr, why: 'a | b' } });
    expect(md).toContain('a \\| b');
  });

  it('names files after what is in them, and describes inputs in words', () => {
    expect(exportFileName(plan, 'md')).toBe('dtr-sizing-4r-3m-13n.md');
    expect(describeInputs(plan.input)).toContainEqual({ label: 'DTR', value: '4 replicas' });
    expect(describeInputs(DEFAULT_SIZING_INPUT)).toContainEqual({
      label: 'DTR',
      value: 'tolerate 1 failure',
    });
  });
});
