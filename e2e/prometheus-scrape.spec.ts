// Debian's real Prometheus, started with the scrape job and the rule file this console generates,
// scrapes the running console (the production build the browser tests use, with METRICS_TOKEN
// set): the target is up and every rule group loads healthy.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { expect, test } from './fixtures';
import { E2E_SECRETS } from './secrets';
import { freePort } from '../test/support/net';

const PROMETHEUS = '/usr/bin/prometheus';

interface Target {
  health: string;
  lastError: string;
  scrapeUrl: string;
}
interface RuleGroup {
  name: string;
  rules: { health: string; name: string }[];
}

test('Prometheus scrapes the running console with the generated job, and loads every rule group', async ({
  page,
  baseURL,
}) => {
  test.skip(
    !existsSync(PROMETHEUS),
    'Debian prometheus is not installed (apt-get install -y prometheus)',
  );
  test.setTimeout(90_000);
  const consoleUrl = new URL(baseURL ?? 'http://127.0.0.1:3210').origin;
  const work = mkdtempSync(path.join(tmpdir(), 'e2e-prometheus-'));
  const tokenFile = path.join(work, 'metrics-token');
  let prometheus: ChildProcess | null = null;
  try {
    writeFileSync(tokenFile, E2E_SECRETS.metricsToken, { mode: 0o600 });
    const query = `consoleUrl=${encodeURIComponent(consoleUrl)}&tokenFile=${encodeURIComponent(tokenFile)}`;
    const scrape = await page.request.get(`/api/alerts/prometheus-rules?format=scrape&${query}`);
    expect(scrape.status()).toBe(200);
    const rules = await page.request.get(`/api/alerts/prometheus-rules?${query}`);
    expect(rules.status()).toBe(200);
    const rulesText = await rules.text();
    writeFileSync(path.join(work, 'rules.yml'), rulesText);
    const groups = (parse(rulesText) as { groups: { name: string }[] }).groups.map((g) => g.name);
    expect(groups.length).toBeGreaterThan(0);

    // The generated job as it is, scraped every second instead of every 30 s so the test is quick.
    const jobs = parse(await scrape.text()) as Record<string, unknown>[];
    expect(jobs).toHaveLength(1);
    const job = { ...jobs[0], scrape_interval: '1s', scrape_timeout: '1s' };
    writeFileSync(
      path.join(work, 'prometheus.yml'),
      stringify({
        global: { evaluation_interval: '1s' },
        rule_files: [path.join(work, 'rules.yml')],
        scrape_configs: [job],
      }),
    );

    const port = await freePort();
    let output = '';
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(work, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    prometheus.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const api = async <T>(endpoint: string): Promise<T | null> => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/${endpoint}`);
        return response.ok ? ((await response.json()) as { data: T }).data : null;
      } catch {
        return null;
      }
    };

    await expect
      .poll(
        async () => {
          const targets = await api<{ activeTargets: Target[] }>('targets');
          return targets?.activeTargets.map((t) => `${t.health} ${t.scrapeUrl} ${t.lastError}`);
        },
        { timeout: 45_000, message: `Prometheus to scrape the console: ${output.slice(-2000)}` },
      )
      .toEqual([`up ${consoleUrl}/api/metrics `]);

    const loaded = await api<{ groups: RuleGroup[] }>('rules');
    expect(loaded?.groups.map((g) => g.name).sort()).toEqual([...groups].sort());
    for (const group of loaded?.groups ?? [])
      for (const rule of group.rules)
        expect(rule.health, `${group.name}/${rule.name}`).not.toBe('err');
  } finally {
    prometheus?.kill('SIGTERM');
    if (prometheus && prometheus.exitCode === null)
      await new Promise((resolve) => prometheus?.once('exit', resolve));
    rmSync(work, { recursive: true, force: true });
  }
});
