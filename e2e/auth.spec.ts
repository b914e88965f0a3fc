import { expect, test } from './fixtures';
import { VIEWER_STATE } from './auth-state';
import { signInAsDemoUser } from './sign-in';

test.describe('signed in as a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('sees the cluster read-only: no fault controls, and a direct POST is refused', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByTestId('user-role')).toContainText('viewer');
    await expect(page.getByTestId('dtr-quorum-banner')).toBeVisible();
    await expect(page.getByTestId('fault-panel-read-only')).toBeVisible();
    await expect(page.getByTestId('fault-apply')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);

    const refused = await page.request.post('/api/demo/faults', {
      data: { target: 'dtr-node-1', kind: 'stop' },
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.message).toMatch(/administrator/i);
  });
});

test.describe('signed in as an admin', () => {
  // Its own sign-in: signing out revokes the session, which the other tests share.
  test.use({ storageState: { cookies: [], origins: [] } });

  test('may inject faults, sees the audit log, and signs out', async ({ page }) => {
    await signInAsDemoUser(page, 'admin');
    const me = await (await page.request.get('/api/auth/me')).json();
    await page.context().setExtraHTTPHeaders({ 'x-csrf-token': me.csrfToken });
    await expect(page.getByTestId('user-role')).toContainText('admin');
    await page.getByTestId('fault-target').selectOption('ucp-manager-3');
    await page.getByTestId('fault-kind').selectOption('slow');
    await page.getByTestId('fault-apply').click();
    await expect(page.getByTestId('fault-result')).toBeVisible();

    await page.getByRole('link', { name: 'Audit' }).click();
    await expect(page.getByTestId('audit-table')).toContainText('slow on ucp-manager-3');

    await page.request.post('/api/demo/reset');
    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/login\?reason=signed-out/);
    await expect(page.getByTestId('login-reason')).toContainText('signed out');
    // The old session no longer opens pages.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('pages send people to the sign-in page and the API answers 401', async ({ page }) => {
    await page.goto('/nodes');
    await expect(page).toHaveURL(/\/login\?.*next=%2Fnodes/);
    const response = await page.request.get('/api/status');
    expect(response.status()).toBe(401);
  });

  test('a session the console cannot read returns to sign-in with a message', async ({
    page,
    context,
  }) => {
    const baseURL = test.info().project.use.baseURL ?? 'http://127.0.0.1:3210';
    await context.addCookies([{ name: 'dtrc_session', value: 'not-a-real-session', url: baseURL }]);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?reason=invalid/);
    await expect(page.getByTestId('login-reason')).toContainText(/no longer valid/i);
  });

  test('repeated wrong passwords back off and say for how long', async ({ page }) => {
    await page.goto('/login');
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await page.getByTestId('login-username').fill('mallory');
      await page.getByTestId('login-password').fill(`guess-${attempt}`);
      await page.getByTestId('login-submit').click();
      await expect(page.getByTestId('login-error')).toBeVisible();
    }
    const error = page.getByTestId('login-error');
    await expect(error).toHaveAttribute('data-locked-out', 'true');
    await expect(error).toContainText(/try again in \d+ (s|min)/i);
  });
});
