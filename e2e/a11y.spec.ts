// Every signed-in page, as the demo admin and viewer, light and dark, on a laptop (1440×900) and a
// phone (390×844):
// - an axe scan that fails on any serious or critical violation, and on the moderate and minor
//   findings issue 21 named (duplicate landmark names, a control whose name does not contain its
//   visible label, an empty table header, text contrast);
// - a full-page screenshot attached to the test output for a person to review (no pixel diff);
// - as the admin in light mode, the layout rule: the page scrolls, not boxes inside it, and a
//   table wider than the screen scrolls sideways only with its hint showing.
// One browser context per combination; its page goes from one route to the next.
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
  type TestInfo,
} from '@playwright/test';
import { ADMIN_STATE, VIEWER_STATE } from './auth-state';
import { axeFailures, scrollOffenders, SIZES, type Size } from './a11y-checks';

type Role = 'admin' | 'viewer';
type Scheme = 'light' | 'dark';

const PAGES: { path: string }[] = [
  { path: '/' },
  { path: '/nodes' },
  { path: '/replicas' },
  { path: '/replicas/join' },
  { path: '/replicas/remove' },
  { path: '/replicas/repair' },
  { path: '/caches' },
  { path: '/history' },
  { path: '/sizing' },
  { path: '/load-balancer' },
  { path: '/alerts/prometheus' },
  // A viewer gets the sentence that the log is for administrators, inside the same layout.
  { path: '/audit' },
  { path: '/alerts' },
];

function slug(path: string): string {
  return path === '/' ? 'overview' : path.slice(1).replaceAll('/', '-');
}

async function newContext(
  browser: Browser,
  baseURL: string | undefined,
  role: Role,
  scheme: Scheme,
  size: Size,
): Promise<BrowserContext> {
  return browser.newContext({
    ...(baseURL ? { baseURL } : {}),
    storageState: role === 'admin' ? ADMIN_STATE : VIEWER_STATE,
    colorScheme: scheme,
    viewport: SIZES[size],
    reducedMotion: 'reduce',
  });
}

/** Opens `path` and waits for what a reader would wait for: the heading, no skeletons. */
async function open(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers`).toBeLessThan(400);
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.locator('main .animate-pulse')).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
}

/** A full-page screenshot in the test's output folder (test-results/…) and the report. */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const COMBOS: { role: Role; scheme: Scheme; size: Size }[] = [];
for (const role of ['admin', 'viewer'] as const)
  for (const scheme of ['light', 'dark'] as const)
    for (const size of ['desktop', 'phone'] as const) COMBOS.push({ role, scheme, size });

test.beforeAll(async ({ browser }, testInfo) => {
  // A healthy demo cluster, whatever the specs before left behind.
  const context = await newContext(
    browser,
    testInfo.project.use.baseURL,
    'admin',
    'light',
    'desktop',
  );
  const me = (await (await context.request.get('/api/auth/me')).json()) as { csrfToken?: string };
  const reset = await context.request.post('/api/demo/reset', {
    headers: { 'x-csrf-token': me.csrfToken ?? '' },
  });
  expect(reset.ok()).toBeTruthy();
  await context.close();
});

for (const { role, scheme, size } of COMBOS) {
  test.describe(`${role} · ${scheme} · ${size}`, () => {
    let context: BrowserContext;
    let page: Page;

    test.beforeAll(async ({ browser }, testInfo) => {
      context = await newContext(browser, testInfo.project.use.baseURL, role, scheme, size);
      page = await context.newPage();
    });
    test.afterAll(async () => {
      await context.close();
    });

    for (const { path } of PAGES) {
      test(`axe: ${path}`, async ({}, testInfo) => {
        await open(page, path);
        // For review: every page at both sizes, light and dark (the viewer's pages differ only by
        // the controls they lack, so the admin's are kept).
        if (role === 'admin')
          await screenshot(page, testInfo, `${slug(path)}-${size}-${scheme}.png`);
        expect(await axeFailures(page), `axe findings on ${path}`).toEqual([]);
      });

      if (role === 'admin' && scheme === 'light') {
        test(`one scroll: ${path}`, async () => {
          if (new URL(page.url()).pathname !== path) await open(page, path);
          const offenders = await scrollOffenders(page);
          expect(offenders, `boxes that scroll inside ${path}`).toEqual([]);
        });
      }
    }
  });
}

test.describe('signed out', () => {
  for (const scheme of ['light', 'dark'] as const)
    for (const size of ['desktop', 'phone'] as const) {
      test(`axe: /login · ${scheme} · ${size}`, async ({ browser }, testInfo) => {
        const context = await browser.newContext({
          ...(testInfo.project.use.baseURL ? { baseURL: testInfo.project.use.baseURL } : {}),
          storageState: { cookies: [], origins: [] },
          colorScheme: scheme,
          viewport: SIZES[size],
          reducedMotion: 'reduce',
        });
        const page = await context.newPage();
        await page.goto('/login');
        await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
        // Signed out there is nowhere to go but here: no navigation.
        await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
        await screenshot(page, testInfo, `login-${size}-${scheme}.png`);
        expect(await axeFailures(page)).toEqual([]);
        await context.close();
      });
    }
});
