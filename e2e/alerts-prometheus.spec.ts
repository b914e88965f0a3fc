import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface Status {
  dtr: { replicas: unknown[] };
  ucp: { managers: { total: number } };
}

/** The file without its "at <time>:" line: the sizes' time moves with every poll. */
function withoutTime(text: string): string {
  return text.replace(/^# at \S+:$/m, '# at <time>:');
}

const rulesText = (page: Page) => page.getByTestId('prometheus-rules-file-text');
const row = (page: Page, alert: string) =>
  page.locator(`[data-testid="prometheus-rule-row"][data-alert="${alert}"]`);

test.beforeEach(async ({ page }) => {
  const reset = await page.request.post('/api/demo/reset');
  expect(reset.ok()).toBeTruthy();
});

test('shows rules sized to the demo cluster, and the download is what the route serves', async ({
  page,
}) => {
  const status = (await (await page.request.get('/api/status')).json()) as Status;
  const replicas = status.dtr.replicas.length;
  const managers = status.ucp.managers.total;
  expect(replicas).toBe(3);

  await page.goto('/alerts/prometheus');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prometheus alert rules');
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }),
  ).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('prometheus-size-dtr')).toHaveText(
    '3 replicas: majority 2, survives 1 failure',
  );
  await expect(page.getByTestId('prometheus-size-ucp')).toHaveText(
    `${managers} managers: majority ${Math.floor(managers / 2) + 1}, survives ${Math.floor((managers - 1) / 2)} failure${managers >= 5 ? 's' : ''}`,
  );
  await expect(page.getByTestId('prometheus-as-of')).toContainText(/As of \d{4}-\d\d-\d\d /);

  // Three replicas survive one failure: margin 0 warns, a lost quorum pages, a replica down only informs.
  await expect(row(page, 'DtrQuorumAtRisk')).toHaveAttribute('data-severity', 'warning');
  await expect(row(page, 'DtrQuorumAtRisk')).toContainText('3 min');
  await expect(row(page, 'DtrQuorumLost')).toHaveAttribute('data-severity', 'critical');
  await expect(row(page, 'DtrQuorumLost')).toContainText('Fewer than 2 of the 3 replicas');
  await expect(row(page, 'DtrReplicaDown')).toHaveAttribute('data-severity', 'info');
  await expect(row(page, 'DtrReplicaCountChanged')).toContainText('!= 3');
  await expect(rulesText(page)).toContainText(
    '#   DTR: 3 replicas (majority 2, survives 1 failure)',
  );
  const origin = new URL(page.url()).origin;
  await expect(rulesText(page)).toContainText(`runbook_url: ${origin}/replicas/repair`);

  const link = page.getByTestId('prometheus-rules-file-download');
  const href = await link.getAttribute('href');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('dtr-ha-console-rules.yml');
  const saved = await readFile(await download.path(), 'utf8');
  const served = await page.request.get(href ?? '');
  expect(served.headers()['content-type']).toBe('application/yaml; charset=utf-8');
  expect(withoutTime(saved)).toBe(withoutTime(await served.text()));
  expect(withoutTime(saved)).toBe(withoutTime((await rulesText(page).textContent()) ?? ''));

  // The scrape job points at this console with the token file.
  const scrape = page.getByTestId('prometheus-scrape-file-text');
  await expect(scrape).toContainText('metrics_path: /api/metrics');
  await expect(scrape).toContainText(`- ${new URL(origin).host}`);
  await expect(scrape).toContainText('credentials_file: /etc/prometheus/dtr-console-metrics-token');
});

test('the settings change the rules and the download; bad ones are refused in a sentence', async ({
  page,
}) => {
  await page.goto('/alerts/prometheus');
  await page.getByLabel('Scrape job name').fill('dtr-prod');
  await page.getByLabel('Warning: for').fill('10m');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page).toHaveURL(/job=dtr-prod/);
  await expect(row(page, 'DtrQuorumAtRisk')).toContainText('10 min');
  await expect(row(page, 'DtrQuorumAtRisk')).toContainText('job="dtr-prod"');
  const href = await page.getByTestId('prometheus-rules-file-download').getAttribute('href');
  const served = await (await page.request.get(href ?? '')).text();
  expect(served).toContain(
    'dtr_console_quorum_margin{job="dtr-prod",plane="dtr"}) == 0\n        for: 10m',
  );

  await page.getByLabel('Warning: for').fill('forever');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('prometheus-problems')).toContainText(
    'warningFor: must be a duration such as 30s, 5m or 1h (seconds, minutes or hours), at most 24h',
  );
  await expect(row(page, 'DtrQuorumAtRisk')).toContainText('3 min');
});
