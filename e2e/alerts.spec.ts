// /alerts: an administrator adds a signed webhook pointed at a receiver this test runs, sends it
// a test, and a stopped demo replica becomes one firing incident delivered to it, then resolved.
// A viewer sees incidents but not where alerts go.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { VIEWER_STATE } from './auth-state';
import { freshDemo, stopReplica } from './demo-state';

interface Hit {
  body: string;
  signature: string | undefined;
}

let server: Server;
let receiverUrl = '';
const hits: Hit[] = [];
const SECRET = `e2e-hook-${createHash('sha256').update(String(Date.now())).digest('hex').slice(0, 20)}`;

test.beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hits.push({ body, signature: req.headers['x-dtr-console-signature'] as string | undefined });
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

test.afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const signed = () =>
  hits
    .filter(
      (h) => h.signature === `sha256=${createHmac('sha256', SECRET).update(h.body).digest('hex')}`,
    )
    .map((h) => JSON.parse(h.body) as { kind: string; incident: { group: string } });

test('an administrator adds a webhook, tests it, and a stopped replica reaches it once', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await freshDemo(page);
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();

  const name = `e2e-pager-${Date.now()}`;
  const form = page.getByRole('form', { name: 'Add a channel' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Kind').selectOption('webhook');
  await form.getByLabel('Webhook URL').fill(`${receiverUrl}?token=do-not-show`);
  await form.getByLabel(/Signing secret/).fill(SECRET);
  await form.getByLabel('Send incidents that are').selectOption('critical');
  await form.getByRole('button', { name: 'Add channel' }).click();
  await expect(page.getByTestId('alerts-message')).toContainText(`"${name}" is added`);
  const row = page.getByTestId('alerts-channel').filter({ hasText: name });
  await expect(row).toContainText('?…');
  await expect(page.locator('body')).not.toContainText('do-not-show');
  await expect(page.locator('body')).not.toContainText(SECRET);

  await row.getByRole('button', { name: `Send test to ${name}` }).click();
  await expect(page.getByTestId('alerts-message')).toContainText(`The test reached "${name}"`);
  expect(signed().map((m) => m.kind)).toEqual(['test']);

  const status = (await (await page.request.get('/api/status')).json()) as {
    dtr: { replicas: { id: string }[] };
  };
  await stopReplica(page, status.dtr.replicas[2]!.id);
  await expect
    .poll(() => signed().filter((m) => m.kind === 'firing').length, { timeout: 40_000 })
    .toBe(1);
  expect(signed().find((m) => m.kind === 'firing')?.incident.group).toBe('dtr-quorum');

  await page.reload();
  const incident = page.getByTestId('alerts-incident').filter({ hasText: 'Firing' }).first();
  await expect(incident).toBeVisible();
  await expect(incident.getByTestId('alerts-deliveries')).toContainText(`${name}: firing sent`);

  await freshDemo(page);
  await expect
    .poll(() => signed().filter((m) => m.kind === 'resolved').length, { timeout: 40_000 })
    .toBe(1);
  expect(signed().filter((m) => m.kind === 'firing')).toHaveLength(1);

  await row.getByRole('button', { name: `Remove ${name}` }).click();
  await expect(page.getByTestId('alerts-message')).toContainText(`"${name}" is removed`);
});

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });
  test('sees incidents and previews, not the channels', async ({ page }) => {
    await page.goto('/alerts');
    await expect(page.getByRole('heading', { name: 'Incidents' })).toBeVisible();
    await expect(page.getByTestId('alerts-channels-admins-only')).toBeVisible();
    await expect(page.getByRole('form', { name: 'Add a channel' })).toHaveCount(0);
    await page.getByText('Generic webhook (signed JSON)').click();
    await expect(page.getByText('"version": 1').first()).toBeVisible();
  });
});
