// EXECUTE=on in a real browser (issue 22): a second console on the demo cluster that runs wizard
// steps itself. Every page says so; an administrator plans a removal, types the replica ID and
// their UCP password, and watches the tool's lines arrive, then the verification finish. The new
// panels pass the axe and one-scroll checks; the password shows nowhere on the page or in the log.
import { expect, test, type Page } from '@playwright/test';
import { axeFailures, scrollOffenders, SIZES } from './a11y-checks';
import { signInAsDemoUser } from './sign-in';
import { ownConsole } from './own-console';

const BASE = ownConsole('execute', 6, { EXECUTE: 'on', AUTH: 'on' });

test.use({ baseURL: BASE, storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: 'serial' });

async function adminPassword(page: Page): Promise<string> {
  await page.goto('/login');
  return (
    await page.getByTestId('demo-user-admin').getByTestId('demo-user-password').innerText()
  ).trim();
}

async function csrf(page: Page): Promise<string> {
  const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
  return me.csrfToken;
}

test('an administrator runs a removal from the console and watches it verify', async ({ page }) => {
  test.setTimeout(150_000);
  const password = await adminPassword(page);
  await signInAsDemoUser(page, 'admin');
  await expect(page.getByTestId('execute-banner')).toContainText(
    'This console can itself run join, remove and emergency repair',
  );
  const token = await csrf(page);
  const headers = { 'x-csrf-token': token };
  await page.request.post('/api/demo/reset', { headers });
  type Replicas = {
    dtr: { version: string | null; replicas: { id: string; status: string }[] };
  };
  const read = async () => (await (await page.request.get('/api/status')).json()) as Replicas;
  await expect
    .poll(async () => (await read()).dtr.replicas.filter((r) => r.status === 'healthy').length, {
      timeout: 20_000,
    })
    .toBe(3);
  // Plan once the console knows the installed version: a command planned before it names the
  // placeholder VERSION, and running it is (rightly) refused as drift once the version is known.
  // A first container read that failed while the demo was still starting is tried again within
  // seconds (lib/monitor/poll.ts RUNTIME_RETRY_*), not a minute later as it once was.
  await expect.poll(async () => (await read()).dtr.version, { timeout: 20_000 }).not.toBeNull();
  const replica = (await read()).dtr.replicas[0]!.id;
  // A removal is for a replica that is gone: stop it, and wait until the console reads it down.
  const stopped = await page.request.post('/api/demo/faults', {
    headers,
    data: { target: replica, kind: 'stop' },
  });
  expect(stopped.ok()).toBeTruthy();
  await expect
    .poll(async () => (await read()).dtr.replicas.find((r) => r.id === replica)?.status, {
      timeout: 20_000,
    })
    .not.toBe('healthy');
  const created = await page.request.post('/api/wizards/runs', {
    headers,
    data: { kind: 'remove', replicaId: replica, acknowledge: ['bring-back-first'] },
  });
  expect(created.status()).toBe(201);
  const { run } = (await created.json()) as { run: { id: string } };

  await page.goto(`/replicas/runs/${run.id}`);
  const panel = page.getByTestId('execute-panel');
  await expect(panel).toBeVisible();
  expect(await axeFailures(page)).toEqual([]);
  expect(await scrollOffenders(page)).toEqual([]);

  // The button waits for the typed replica ID and a password.
  const button = page.getByTestId('execute-run');
  await expect(button).toBeDisabled();
  await page.getByTestId('execute-confirm').fill(replica);
  await page.getByTestId('execute-password').fill('wrong-password-123');
  await button.click();
  await expect(page.getByTestId('execute-error')).toContainText('UCP refused the password');

  await page.getByTestId('execute-password').fill(password);
  await button.click();
  const log = page.getByRole('log', { name: 'Bootstrapper output' });
  await expect(log).toContainText('Searching containers in UCP for DTR replicas', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('execution-outcome')).toContainText('exited 0', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  // The log and the outcome in both schemes, at laptop and phone sizes.
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const size of ['desktop', 'phone'] as const) {
      await page.setViewportSize(SIZES[size]);
      await page.emulateMedia({ colorScheme });
      expect(await axeFailures(page), `axe (${colorScheme}, ${size})`).toEqual([]);
      expect(await scrollOffenders(page), `inner scrolling (${size})`).toEqual([]);
    }
  }
  expect(await page.content()).not.toContain(password);

  const audit = await (await page.request.get('/api/audit?limit=50')).text();
  expect(audit).toContain('wizard-executed');
  expect(audit).not.toContain(password);
});

test('an administrator brings a stopped replica back from the advice, in one click', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInAsDemoUser(page, 'admin');
  const headers = { 'x-csrf-token': await csrf(page) };
  await page.request.post('/api/demo/reset', { headers });
  type Replicas = { dtr: { replicas: { id: string; status: string }[] } };
  const read = async () => (await (await page.request.get('/api/status')).json()) as Replicas;
  await expect
    .poll(async () => (await read()).dtr.replicas.filter((r) => r.status === 'healthy').length, {
      timeout: 20_000,
    })
    .toBe(3);
  const replica = (await read()).dtr.replicas[2]!.id;
  await page.request.post('/api/demo/faults', {
    headers,
    data: { target: replica, kind: 'stop' },
  });
  await page.goto('/');
  const card = page.getByTestId('warning-DTR_QUORUM_AT_RISK');
  await expect(card).toContainText(`Bring replica ${replica} back`, { timeout: 20_000 });
  const ladder = card.getByTestId('ladder-DTR_QUORUM_AT_RISK');
  await ladder.locator('summary').click();
  const step = ladder.getByTestId('ladder-step-bring-back');
  await step.getByRole('button', { name: 'Start them from the console' }).click();
  // The replica comes back within a poll or two, and with it the warning (and its ladder) goes;
  // what was started stays said above the page until dismissed.
  await expect
    .poll(async () => (await read()).dtr.replicas.find((r) => r.id === replica)?.status, {
      timeout: 20_000,
    })
    .toBe('healthy');
  await expect(page.getByTestId('warning-DTR_QUORUM_AT_RISK')).toHaveCount(0, {
    timeout: 20_000,
  });
  const notice = page.getByTestId('execute-notice');
  await expect(notice).toContainText(/Bring back: Started dtr-\S+/);
  await expect(notice.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});
