// Guided join, remove and emergency repair against the demo cluster (issue #6). The demo applies
// a membership change about 3 s after the wizard's "apply", as the real tool would take a while.
import type { Page } from '@playwright/test';
import { ADMIN_STATE, VIEWER_STATE } from './auth-state';
import { oneLine } from '../lib/domain/shell';
import { freshDemo, stopReplica } from './demo-state';
import { expect, test } from './fixtures';

interface StatusReplica {
  id: string;
  node: string;
  status: string;
  httpPort: number;
  httpsPort: number;
}

interface Status {
  generatedAt: string;
  dtr: {
    replicas: StatusReplica[];
    quorum: { replicas: number; healthy: number; status: string };
  };
  warnings: { code: string }[];
}

const APPLIED = { timeout: 60_000 };

async function status(page: Page): Promise<Status> {
  const response = await page.request.get('/api/status');
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as Status;
}

async function replicas(page: Page): Promise<StatusReplica[]> {
  return (await status(page)).dtr.replicas;
}

async function threeReplicas(page: Page): Promise<[StatusReplica, StatusReplica, StatusReplica]> {
  const [a, b, c] = await replicas(page);
  if (!a || !b || !c) throw new Error('the demo cluster should start with three replicas');
  return [a, b, c];
}

// The demo users' passwords, as the login page shows them: no command may contain one.
let passwords: string[] = [];

test.beforeAll(async ({ playwright }, testInfo) => {
  const anonymous = await playwright.request.newContext({
    baseURL: testInfo.project.use.baseURL,
    storageState: { cookies: [], origins: [] },
  });
  const html = await (await anonymous.get('/login')).text();
  passwords = [...html.matchAll(/data-testid="demo-user-password"[^>]*>([^<]+)</g)].map((m) =>
    (m[1] ?? '').trim(),
  );
  await anonymous.dispose();
  expect(passwords.length, 'the demo login page lists its users and passwords').toBeGreaterThan(0);
});

function expectNoPassword(command: string): void {
  expect(command).not.toMatch(/--ucp-password|--password|\s-p\s/);
  for (const password of passwords) {
    if (password) expect(command).not.toContain(password);
  }
}

/** The demo's replica IDs right after a reset (the same every time: they come from its seed). */
let initialIds: string[] | null = null;

test.describe('as an administrator', () => {
  test.beforeEach(async ({ page }) => {
    const resetAt = await freshDemo(page);
    // The initial topology again, not an older snapshot that merely looks like it: a test that
    // replaced a replica on its own DTR node leaves three healthy replicas on dtr-node-1..3 too,
    // one of them with a new ID. The demo's initial IDs are the same after every reset.
    const fresh = async () => {
      const s = await status(page);
      const healthy = s.dtr.replicas.filter((r) => r.status === 'healthy');
      return {
        // A poll that began before the reset may end after it: only later ones count.
        afterReset: Date.parse(s.generatedAt) > resetAt + 2500,
        nodes: healthy.map((r) => r.node).sort(),
        ids: healthy.map((r) => r.id).sort(),
      };
    };
    await expect
      .poll(
        async () => {
          const now = await fresh();
          return (
            now.nodes.join() === 'dtr-node-1,dtr-node-2,dtr-node-3' &&
            (initialIds === null ? now.afterReset : now.ids.join() === initialIds.join())
          );
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    initialIds ??= (await fresh()).ids;
  });

  test('replace a failed replica: follow the warning into the remove wizard, then join a new one', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const [, , failed] = await threeReplicas(page);
    await stopReplica(page, failed.id);

    await page.goto('/');
    // One replica of three down: the at-risk incident's card first says to bring it back; the
    // remove wizard is a later rung of its ladder, a deliberate choice before OFFLINE_LONG_MS.
    const warning = page.getByTestId('warning-DTR_QUORUM_AT_RISK');
    await expect(warning).toBeVisible();
    const ladder = warning.getByTestId('ladder-DTR_QUORUM_AT_RISK');
    await ladder.locator('summary').click();
    await ladder
      .getByTestId('ladder-step-remove-join')
      .getByRole('link', { name: /guided fix/i })
      .click();
    await expect(page).toHaveURL(new RegExp(`/replicas/remove\\?replica=${failed.id}`));
    await expect(page.getByTestId('remove-replica-select')).toHaveValue(failed.id);

    // Keyboard: Enter on "next" moves to the impact step and puts the focus on its heading.
    await page.getByTestId('wizard-next').focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/step=preview/);
    await expect(page.locator('#step-preview')).toBeFocused();
    await expect(page.getByTestId('impact-after-replicas')).toHaveText('2');
    await expect(page.getByTestId('impact-after-failuresTolerated')).toHaveText('0');
    // Removing the failed replica of 3 is the safe path: a warning, not a block.
    await expect(page.getByTestId('gate-two-replicas-left')).toHaveAttribute(
      'data-severity',
      'warn',
    );
    await expect(page.getByTestId('gate-two-replicas-left')).toContainText(/tolerate no failure/);

    // Just stopped: the advice is to bring it back; removing it now is a deliberate choice.
    await expect(page.getByTestId('gate-bring-back-first')).toHaveAttribute(
      'data-severity',
      'block',
    );
    await page.getByTestId('ack-bring-back-first').check();
    await page.getByTestId('generate-command').click();
    await expect(page).toHaveURL(/\/replicas\/runs\//);
    const removeCommand = page.getByTestId('command-text');
    expect(oneLine(await removeCommand.innerText())).toContain('remove --existing-replica-id');
    await expect(removeCommand).toContainText(`--replica-ids ${failed.id}`);
    expectNoPassword(await removeCommand.innerText());
    await expect(page.getByText(/never destroy/)).toBeVisible();

    await page.getByTestId('demo-apply').click();
    const verification = page.getByTestId('verification');
    await expect(verification).toHaveAttribute('data-state', 'waiting');
    await expect(verification).toHaveAttribute('data-state', 'done', APPLIED);
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done');

    const afterRemove = await status(page);
    expect(afterRemove.dtr.quorum).toMatchObject({ replicas: 2, healthy: 2, status: 'healthy' });
    expect(afterRemove.dtr.replicas.map((r) => r.id)).not.toContain(failed.id);
    expect(afterRemove.warnings.map((w) => w.code)).toContain('DTR_TWO_REPLICAS');

    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('lb-snippet')).toContainText('haproxy');
    await expect(page.getByTestId('lb-snippet')).not.toContainText(failed.id);
    await page.getByTestId('next-join').click();

    await expect(page).toHaveURL(/\/replicas\/join/);
    const nodeSelect = page.getByTestId('join-node-select');
    await expect(nodeSelect.locator('option[value="cache-node-1"]')).toBeDisabled();
    await expect(nodeSelect.locator('option[value="cache-node-1"]')).toContainText(
      'hosts a DTR cache',
    );
    await expect(nodeSelect.locator('option[value="ucp-manager-1"]')).toBeDisabled();
    // The freed DTR node is the first choice offered, under a label that says why.
    const firstChoice = nodeSelect.locator('option:not([disabled]):not([value=""])').first();
    await expect(firstChoice).toHaveAttribute('value', failed.node);
    await expect(firstChoice).toContainText('dedicated DTR node, by its host name');
    await expect(
      nodeSelect.locator('optgroup[label^="Dedicated DTR nodes"] option'),
    ).toHaveAttribute('value', failed.node);
    await expect(
      nodeSelect.locator('optgroup[label^="Application workers"] option').first(),
    ).toHaveAttribute('value', 'app-node-1');
    await nodeSelect.selectOption(failed.node);
    await expect(page.getByTestId('gate-application-worker')).toHaveCount(0);
    await page.getByTestId('wizard-next').click();
    // The ports start at the pair the other replicas use.
    const [peer] = afterRemove.dtr.replicas;
    await expect(page.getByTestId('join-http-port')).toHaveValue(String(peer?.httpPort));
    await expect(page.getByTestId('join-https-port')).toHaveValue(String(peer?.httpsPort));
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('impact-after-replicas')).toHaveText('3');
    await expect(page.getByTestId('gate-zone-concentration')).toHaveCount(0);
    await expect(page.getByTestId('generate-command')).toBeEnabled();
    await page.getByTestId('generate-command').click();

    await expect(page).toHaveURL(/\/replicas\/runs\//);
    const joinCommand = page.getByTestId('command-text');
    const joined = oneLine(await joinCommand.innerText());
    expect(joined).toContain(`join --ucp-node ${failed.node} --existing-replica-id`);
    expect(joined).toContain(
      `--replica-http-port ${peer?.httpPort} --replica-https-port ${peer?.httpsPort}`,
    );
    expectNoPassword(await joinCommand.innerText());
    await page.getByTestId('demo-apply').click();
    await expect(page.getByTestId('verification')).toHaveAttribute('data-state', 'done', APPLIED);

    const final = await status(page);
    expect(final.dtr.quorum).toMatchObject({ replicas: 3, healthy: 3, status: 'healthy' });
    expect(final.dtr.replicas.map((r) => r.node)).toContain(failed.node);

    await page.goto('/replicas');
    await expect(page.getByTestId('runs-list')).toContainText('Join');
    await expect(page.getByTestId('runs-list')).toContainText(`Remove ${failed.id}`);
  });

  test('the remove wizard refuses a healthy replica while another is down, and says why', async ({
    page,
  }) => {
    const [down, healthy] = await threeReplicas(page);
    await stopReplica(page, down.id);
    await page.goto(`/replicas/remove?replica=${healthy.id}&step=preview`);

    const refused = page.getByTestId('gate-others-unhealthy');
    await expect(refused).toHaveAttribute('data-severity', 'block');
    await expect(refused).toContainText(`${down.id} on ${down.node} (unreachable) is not healthy`);
    await expect(refused).toContainText('every other replica is healthy');
    await expect(page.getByTestId('gate-quorum-after-lost')).toContainText(
      'registry would go down',
    );
    await expect(page.getByTestId('generate-command')).toBeDisabled();

    // The server refuses it too, with the same reason.
    const response = await page.request.post('/api/wizards/runs', {
      data: { kind: 'remove', replicaId: healthy.id },
    });
    expect(response.status()).toBe(409);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'every other replica is healthy',
    );
  });

  test('removing a healthy replica from 3 needs an explicit acknowledgement', async ({ page }) => {
    const [, second] = await threeReplicas(page);
    await page.goto(`/replicas/remove?replica=${second.id}&step=preview`);
    const gate = page.getByTestId('gate-two-replicas-left');
    await expect(gate).toHaveAttribute('data-severity', 'block');
    await expect(page.getByTestId('generate-command')).toBeDisabled();
    await page.getByTestId('ack-two-replicas-left').check();
    await expect(gate).toHaveAttribute('data-severity', 'warn');
    await expect(page.getByTestId('gate-removing-healthy')).toBeVisible();
    await expect(page.getByTestId('generate-command')).toBeEnabled();
  });

  test('an application worker takes a replica only once the person accepts it', async ({
    page,
  }) => {
    // Every DTR node of the demo has a replica: only application workers are left.
    await page.goto('/replicas/join');
    const nodeSelect = page.getByTestId('join-node-select');
    await expect(nodeSelect.locator('optgroup[label^="Dedicated DTR nodes"]')).toHaveCount(0);
    const gate = page.getByTestId('gate-application-worker');
    // A choice made before the page has hydrated does not reach React: choose until it does.
    await expect(async () => {
      await nodeSelect.selectOption('app-node-1');
      await expect(gate).toBeVisible({ timeout: 1000 });
    }).toPass();
    await expect(gate).toHaveAttribute('data-severity', 'block');
    await expect(gate).toContainText('DTR must run on dedicated workers');
    await page.getByTestId('ack-application-worker').check();
    await expect(gate).toHaveAttribute('data-severity', 'warn');

    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('gate-application-worker')).toHaveAttribute(
      'data-acknowledged',
      'true',
    );
    // app-node-1 is in zone a with dtr-node-1: losing zone a would take 2 of the 4 replicas.
    await expect(page.getByTestId('gate-zone-concentration')).toContainText(
      'puts 2 of 4 replicas in zone a',
    );
    await expect(page.getByTestId('generate-command')).toBeEnabled();
    await page.getByTestId('ack-application-worker').uncheck();
    await expect(page.getByTestId('generate-command')).toBeDisabled();
  });

  test('the same HTTP and HTTPS port is refused at the field, in the plan and by the server', async ({
    page,
  }) => {
    await page.goto('/replicas/join?node=app-node-1&step=options');
    const http = page.getByTestId('join-http-port');
    const https = page.getByTestId('join-https-port');
    // Typed before the page has hydrated, the values would not reach React: type until they do.
    await expect(async () => {
      await http.fill('8443');
      await https.fill('8443');
      await expect(page.getByTestId('join-https-port-hint')).toHaveText(
        'HTTPS port must differ from HTTP port.',
        { timeout: 1000 },
      );
    }).toPass();
    await expect(https).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('wizard-next')).toBeDisabled();
    await http.fill('0');
    await expect(page.getByTestId('join-http-port-hint')).toHaveText(
      'A port is a whole number from 1 to 65535.',
    );
    await http.fill('8080');
    await expect(page.getByTestId('join-https-port-hint')).not.toContainText('must differ');
    await expect(page.getByTestId('wizard-next')).toBeEnabled();

    // A link that carries equal ports straight to the last step: no command either.
    await page.goto('/replicas/join?node=app-node-1&http=8443&https=8443&step=preview');
    await page.getByTestId('ack-application-worker').check();
    await expect(page.getByTestId('gate-invalid-input')).toHaveText(
      /HTTPS port must differ from HTTP port\./,
    );
    await expect(page.getByTestId('generate-command')).toBeDisabled();

    const refused = await page.request.post('/api/wizards/runs', {
      data: {
        kind: 'join',
        node: 'app-node-1',
        httpPort: 8443,
        httpsPort: 8443,
        acknowledge: ['application-worker'],
      },
    });
    expect(refused.status()).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'HTTPS port must differ from HTTP port.',
    );
  });

  test('the join wizard refuses while a replica is unhealthy and sends you to remove it first', async ({
    page,
  }) => {
    const [down] = await threeReplicas(page);
    await stopReplica(page, down.id);
    await page.goto('/replicas/join?node=app-node-1&step=preview');
    const gate = page.getByTestId('gate-replica-unhealthy');
    await expect(gate).toHaveAttribute('data-severity', 'block');
    await expect(page.getByTestId('generate-command')).toBeDisabled();
    await gate.getByRole('link', { name: /remove/i }).click();
    await expect(page).toHaveURL(new RegExp(`/replicas/remove\\?replica=${down.id}`));
  });

  test('emergency repair with 2 of 3 replicas stopped, then hand over to the join wizard', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const [first, second, survivor] = await threeReplicas(page);
    await page.goto('/replicas');
    await expect(page.getByTestId('start-repair')).toHaveCount(0);
    await stopReplica(page, first.id);
    await stopReplica(page, second.id);
    await expect.poll(async () => (await status(page)).dtr.quorum.status).toBe('lost');

    await page.goto('/replicas');
    await page.getByTestId('start-repair').click();
    await expect(page).toHaveURL(/\/replicas\/repair/);
    // The only replica that still answers is the one to keep.
    await expect(page.getByTestId('repair-keep-select')).toHaveValue(survivor.id);
    await expect(page.getByTestId('repair-suggestion')).toContainText(survivor.id);
    await page.getByTestId('wizard-next').click();

    const consequence = page.getByTestId('gate-repair-consequence');
    await expect(consequence).toContainText(`${first.id} and ${second.id}`);
    await expect(page.getByTestId('generate-command')).toBeDisabled();
    await page.getByTestId('ack-repair-consequence').check();
    // The least destructive step first: only once none could be brought back.
    await expect(page.getByTestId('generate-command')).toBeDisabled();
    await expect(page.getByTestId('gate-bring-back-first')).toContainText(
      'First try to bring a replica back',
    );
    await page.getByTestId('ack-bring-back-first').check();
    await page.getByTestId('generate-command').click();

    await expect(page).toHaveURL(/\/replicas\/runs\//);
    const command = page.getByTestId('command-text');
    expect(oneLine(await command.innerText())).toContain(
      `emergency-repair --existing-replica-id ${survivor.id}`,
    );
    expectNoPassword(await command.innerText());
    await page.getByTestId('demo-apply').click();
    await expect(page.getByTestId('verification')).toHaveAttribute('data-state', 'done', APPLIED);

    const after = await status(page);
    expect(after.dtr.quorum).toMatchObject({ replicas: 1, healthy: 1, status: 'healthy' });
    expect(after.dtr.replicas.map((r) => r.id)).toEqual([survivor.id]);

    await page.getByTestId('wizard-next').click();
    await page.getByTestId('handover-join').click();
    await expect(page).toHaveURL(/\/replicas\/join/);
    // Growing past one replica needs storage both share; the demo's settings name none, so the
    // wizard asks, and points at where storage is set.
    await page.getByTestId('join-node-select').selectOption(first.node);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click();
    const storage = page.getByTestId('gate-shared-storage');
    await expect(storage).toHaveAttribute('data-severity', 'block');
    await expect(storage).toContainText('System → Storage');
    await expect(page.getByTestId('generate-command')).toBeDisabled();
    await page.getByTestId('ack-shared-storage').check();
    await expect(storage).toHaveAttribute('data-severity', 'warn');
    await expect(page.getByTestId('generate-command')).toBeEnabled();
  });

  test('a run survives a reload and resumes at its step', async ({ page }) => {
    test.setTimeout(120_000);
    const [, , failed] = await threeReplicas(page);
    await stopReplica(page, failed.id);
    const created = await page.request.post('/api/wizards/runs', {
      data: { kind: 'remove', replicaId: failed.id, acknowledge: ['bring-back-first'] },
    });
    expect(created.status()).toBe(201);
    const { run } = (await created.json()) as { run: { id: string } };

    await page.goto(`/replicas/runs/${run.id}`);
    await expect(page.getByTestId('wizard-step-command')).toHaveAttribute('data-state', 'current');
    await page.getByTestId('demo-apply').click();
    await expect(page.getByTestId('verification')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('wizard-step-verify')).toHaveAttribute('data-state', 'current');
    await expect(page.getByTestId('verification')).toHaveAttribute('data-state', 'done', APPLIED);

    await page.goto('/replicas');
    await expect(page.getByTestId(`run-row-${run.id}`)).toHaveAttribute('data-status', 'done');
  });
});

test.describe('signed in as a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('can check the impact but not generate a command', async ({ page }) => {
    const [any] = await replicas(page);
    if (!any) throw new Error('the demo cluster should have a replica');
    await page.goto(`/replicas/remove?replica=${any.id}&step=preview`);
    await expect(page.getByTestId('impact-table')).toBeVisible();
    await expect(page.getByTestId('generate-command')).toBeDisabled();
    const refused = await page.request.post('/api/wizards/runs', {
      data: { kind: 'remove', replicaId: any.id },
    });
    expect(refused.status()).toBe(403);
  });
});

test.afterAll(async ({ playwright }, testInfo) => {
  // The viewer cannot reset: leave the shared demo cluster as the next spec expects it.
  const admin = await playwright.request.newContext({
    baseURL: testInfo.project.use.baseURL,
    storageState: ADMIN_STATE,
  });
  const { csrfToken } = (await (await admin.get('/api/auth/me')).json()) as { csrfToken?: string };
  await admin.post('/api/demo/reset', { headers: { 'x-csrf-token': csrfToken ?? '' } });
  await admin.dispose();
});
