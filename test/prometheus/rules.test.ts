// The generated Prometheus rules, proven by Debian's promtool:
// - every variant (1, 2, 3, 5, 7 DTR replicas and UCP managers, with and without content caches,
//   DTR not configured) passes `promtool check rules`;
// - the unit tests in rules-tests/*.yml run through `promtool test rules`: the input series are
//   what the console's real exporter prints for each snapshot, so each rule must fire on the series
//   the console exports for at-risk and lost quorum, and stay silent on a healthy cluster.
// Skips without promtool only when not root, like test/lb/real-binaries.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PrometheusOptionsSchema } from '@/lib/domain/alerts/prometheus-options';
import {
  clusterSizeOf,
  generateRules,
  prometheusRules,
  type GeneratedRule,
} from '@/lib/domain/alerts/prometheus-rules';
import type { SnapshotSpec } from '@/test/support/snapshot';
import {
  consoleInstances,
  failedScrape,
  findBinary,
  inputSeries,
  need,
  run,
  scrapeSeries,
  statusOf,
  TEST_JOB,
} from './support';

const promtool = findBinary('promtool');
const work = mkdtempSync(path.join(tmpdir(), 'dtr-prom-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const OPTIONS = PrometheusOptionsSchema.parse({
  job: TEST_JOB,
  consoleUrl: 'https://console.example.com',
});

let fileCount = 0;
function writeFile(name: string, text: string): string {
  const file = path.join(work, `${(fileCount += 1)}-${name}`);
  writeFileSync(file, text);
  return file;
}

describe('promtool check rules', () => {
  const SIZES = [1, 2, 3, 5, 7];
  const variants: { name: string; spec: SnapshotSpec }[] = [
    ...SIZES.flatMap((n) => {
      const members = Array.from({ length: n }, () => 'healthy' as const);
      return [
        {
          name: `${n} replicas and managers, no caches`,
          spec: { replicas: members, managers: members, caches: 0 },
        },
        {
          name: `${n} replicas and managers, a cache on ${n} nodes behind a load balancer and one on its own node`,
          spec: {
            replicas: members,
            managers: members,
            caches: n + 1,
            registeredCaches: [
              { name: 'eu "frankfurt" \\ {{ x }}', node: null },
              'healthy' as const,
            ],
          },
        },
      ];
    }),
    {
      name: 'two caches behind load balancers, whose replicas cannot be counted',
      spec: { caches: 2, registeredCaches: [{ node: null }, { node: null }] },
    },
    { name: 'a Swarm-only console (DTR not configured)', spec: { dtrConfigured: false } },
  ];

  it.for(variants)('passes for $name', (variant, ctx) => {
    const binary = need(ctx, promtool, 'promtool');
    const size = clusterSizeOf(statusOf(variant.spec));
    const file = writeFile('rules.yml', prometheusRules(size, OPTIONS).text);
    const result = run(binary, ['check', 'rules', file]);
    expect(result.output).toContain(`SUCCESS: ${generateRules(size, OPTIONS).length} rules found`);
    expect(result.status, result.output).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// promtool test rules, from rules-tests/*.yml

interface Phase {
  minutes: number;
  state?: SnapshotSpec;
  scrape?: 'failed';
  ageSeconds?: number;
}

interface Scenario {
  name: string;
  /** Consoles serving the same snapshot, each its own scrape target (default 1). */
  consoles?: number;
  timeline: Phase[];
  expect: { at: string; firing: Record<string, Record<string, string>>[] }[];
}

interface ScenarioFile {
  cluster: SnapshotSpec;
  scenarios: Scenario[];
}

const TESTS_DIR = path.join(import.meta.dirname, 'rules-tests');
const files = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.yml'));

/** `{{ $labels.x }}` filled in, as Prometheus expands the annotation for an alert with `labels`. */
function expand(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '');
}

/** The generated rule an expected alert comes from: same name, its fixed labels among the alert's. */
function ruleOf(rules: GeneratedRule[], alertname: string, labels: Record<string, string>) {
  const rule = rules.find(
    (r) =>
      r.alert === alertname &&
      r.severity === labels.severity &&
      Object.entries(r.labels ?? {}).every(([k, v]) => labels[k] === v),
  );
  if (!rule)
    throw new Error(
      `no generated rule ${alertname} with labels ${JSON.stringify(labels)}: the scenario expects one`,
    );
  return rule;
}

async function promtoolTest(cluster: SnapshotSpec, scenario: Scenario, rulesFile: string) {
  const rules = generateRules(clusterSizeOf(statusOf(cluster)), OPTIONS);
  const scrapes: Map<string, string>[] = [];
  const instances = consoleInstances(scenario.consoles);
  for (const phase of scenario.timeline) {
    const scrape =
      phase.scrape === 'failed'
        ? failedScrape(instances)
        : await scrapeSeries(
            statusOf({ ...cluster, ...phase.state }),
            phase.ageSeconds ?? 0,
            instances,
          );
    for (let minute = 0; minute < phase.minutes; minute += 1) scrapes.push(scrape);
  }
  const alertNames = [...new Set(rules.map((r) => r.alert))];
  const alertRuleTests = scenario.expect.flatMap(({ at, firing }) => {
    const expected = firing.map((entry) => {
      const [alertname, given] = Object.entries(entry)[0] ?? ['', {}];
      const labels = { job: TEST_JOB, ...given };
      const rule = ruleOf(rules, alertname, labels);
      const all = { ...labels, alertname };
      return {
        alertname,
        exp_labels: labels,
        exp_annotations: {
          summary: expand(rule.summary, all),
          description: expand(rule.description, all),
          runbook_url: rule.runbookUrl,
        },
      };
    });
    // Every rule is checked at each time: those not expected must be silent.
    return alertNames.map((alertname) => ({
      eval_time: at,
      alertname,
      exp_alerts: expected
        .filter((e) => e.alertname === alertname)
        .map(({ exp_labels, exp_annotations }) => ({ exp_labels, exp_annotations })),
    }));
  });
  return {
    rule_files: [rulesFile],
    evaluation_interval: '1m',
    tests: [
      {
        name: scenario.name,
        interval: '1m',
        input_series: inputSeries(scrapes),
        alert_rule_test: alertRuleTests,
      },
    ],
  };
}

describe.each(files)('promtool test rules: rules-tests/%s', (file) => {
  const doc = parse(readFileSync(path.join(TESTS_DIR, file), 'utf8')) as ScenarioFile;

  it.for(doc.scenarios)('$name', async (scenario, ctx) => {
    const binary = need(ctx, promtool, 'promtool');
    const size = clusterSizeOf(statusOf(doc.cluster));
    const rulesFile = writeFile('rules.yml', prometheusRules(size, OPTIONS).text);
    const test = await promtoolTest(doc.cluster, scenario, rulesFile);
    const testFile = writeFile('test.yml', stringify(test, { lineWidth: 0 }));
    const result = run(binary, ['test', 'rules', testFile]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  });
});
