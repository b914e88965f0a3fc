// The audit log page: an administrator filters and pages it through its address; a viewer gets a
// sentence inside the console, not a raw 403. And the console's icon and manifest are served.
import { expect, test } from './fixtures';
import { VIEWER_STATE } from './auth-state';

test.describe('the audit log for an administrator', () => {
  test('filters by who, outcome, action and time, pages through results, and keeps it all in the URL', async ({
    page,
  }) => {
    // Events this test can tell apart: a failed sign-in under a name nobody else uses, and
    // harmless demo faults ("none" clears a member's fault).
    const stranger = `audit-e2e-${Date.now()}`;
    const failed = await page.request.post('/api/auth/login', {
      data: { username: stranger, password: 'not-the-password' },
    });
    expect(failed.status()).toBe(401);
    for (const target of ['ucp-manager-1', 'ucp-manager-2', 'ucp-manager-3', 'ucp-manager-1']) {
      const response = await page.request.post('/api/demo/faults', {
        data: { target, kind: 'none' },
      });
      expect(response.status()).toBe(200);
    }

    // Who and outcome, through the form: the filters land in the address.
    await page.goto('/audit');
    await expect(page.getByTestId('audit-table')).toBeVisible();
    const filters = page.getByTestId('audit-filters');
    await filters.getByLabel('Who').fill(stranger);
    await filters.getByLabel('Outcome').selectOption('refused');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(new RegExp(`actor=${stranger}.*outcome=refused`));
    const rows = page.getByTestId('audit-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.getByTestId('audit-actor')).toHaveText(stranger);
    await expect(rows.getByTestId('audit-action')).toHaveText('Sign-in failed');
    await expect(rows.getByTestId('audit-outcome')).toHaveText('Refused by the console');
    await expect(rows.getByTestId('audit-ip')).toHaveText('127.0.0.1');

    // The same address opened afresh (a shared link) shows the same view, form filled in.
    const shared = page.url();
    await page.goto('/');
    await page.goto(shared);
    await expect(page.getByTestId('audit-row')).toHaveCount(1);
    await expect(page.getByTestId('audit-filters').getByLabel('Who')).toHaveValue(stranger);

    // No address is written the IPv4-mapped way.
    await page.goto('/audit?limit=200');
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    expect(await page.getByTestId('audit-ip').allInnerTexts()).not.toContainEqual(
      expect.stringContaining('::ffff:'),
    );

    // Paging: two demo faults a page, older and back to newer, filters kept.
    await page.goto('/audit?action=demo-fault&limit=2');
    const firstPage = await page.getByTestId('audit-row').allInnerTexts();
    expect(firstPage).toHaveLength(2);
    expect(firstPage.every((row) => row.includes('Demo fault'))).toBe(true);
    await expect(page.getByTestId('audit-newer')).toHaveCount(0);
    await page.getByTestId('audit-older').click();
    await expect(page).toHaveURL(/action=demo-fault.*limit=2.*before=/);
    await expect(page.getByTestId('audit-row')).toHaveCount(2);
    const secondPage = await page.getByTestId('audit-row').allInnerTexts();
    expect(secondPage.every((row) => row.includes('Demo fault'))).toBe(true);
    expect(secondPage).not.toEqual(firstPage);
    // Newest first, and the second page starts where the first ended.
    const times = async () =>
      page
        .getByTestId('audit-row')
        .locator('time')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime') ?? ''));
    const older = await times();
    await page.getByTestId('audit-newer').click();
    await expect(page).toHaveURL(/after=/);
    expect(await page.getByTestId('audit-row').allInnerTexts()).toEqual(firstPage);
    const newer = await times();
    expect(newer[1]! >= older[0]!).toBe(true);

    // A time range after everything matches nothing; an unreadable one says why.
    await page.goto('/audit?from=2999-01-01T00:00');
    await expect(page.getByTestId('audit-empty')).toHaveText(
      'Nothing recorded matches these filters.',
    );
    await page.goto('/audit?from=yesterday-ish');
    await expect(page.getByTestId('audit-filter-error')).toContainText(
      'from must be a date and time such as 2024-05-01T12:00 (UTC)',
    );
  });
});

test.describe('the audit log for a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('explains, inside the console, that the log is for administrators', async ({ page }) => {
    const response = await page.goto('/audit');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByTestId('audit-admins-only')).toContainText(
      'The audit log is for UCP administrators',
    );
    // The console's own header and navigation are there; the log is not.
    await expect(page.getByTestId('user-role')).toContainText('viewer');
    await expect(page.getByRole('link', { name: 'Overview' }).first()).toBeVisible();
    await expect(page.getByTestId('audit-table')).toHaveCount(0);
    await expect(page.getByTestId('audit-filters')).toHaveCount(0);
    // The data itself stays with administrators.
    expect((await page.request.get('/api/audit')).status()).toBe(403);
  });
});

test.describe('the console’s icon', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('is linked from every page (the sign-in page too) and served with its manifest', async ({
    page,
  }) => {
    await page.goto('/login');
    await expect(page.locator('link[rel="icon"][href="/icon.svg"]')).toHaveCount(1);
    await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute(
      'href',
      '/apple-touch-icon.png',
    );
    const svg = await page.request.get('/icon.svg');
    expect(svg.status()).toBe(200);
    expect(svg.headers()['content-type']).toContain('image/svg+xml');
    expect(await svg.text()).toContain('<svg');

    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBe('/manifest.webmanifest');
    const manifest = await page.request.get(manifestHref!);
    expect(manifest.status()).toBe(200);
    const { name, icons } = (await manifest.json()) as {
      name: string;
      icons: { src: string; type: string; sizes: string }[];
    };
    expect(name).toBe('DTR HA Console');
    for (const icon of [
      ...icons,
      { src: '/icon-32.png' },
      { src: '/apple-touch-icon.png' },
      { src: '/favicon.ico' },
    ]) {
      const served = await page.request.get(icon.src);
      expect(served.status(), icon.src).toBe(200);
      expect((await served.body()).length, icon.src).toBeGreaterThan(100);
    }
  });
});
