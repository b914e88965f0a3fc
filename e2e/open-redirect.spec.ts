// A hostile `next=` on the sign-in page must never take the browser off the console: not after
// signing in through the form (location.assign), and not for someone already signed in (the
// page's server-side redirect). Requests to the "evil" host are recorded and refused, so the
// test can tell "did not try" from "tried and failed to load".
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN_STATE } from './auth-state';

const HOSTILE = [
  '/.//evil.example/phish',
  '/x/..//evil.example/phish',
  '/%2e//evil.example/phish',
  '/./\\evil.example/phish',
];

async function recordEscapes(page: Page): Promise<string[]> {
  const escapes: string[] = [];
  await page.context().route(
    (url) => url.hostname !== '127.0.0.1',
    async (route) => {
      escapes.push(route.request().url());
      await route.abort();
    },
  );
  return escapes;
}

function expectOnConsole(page: Page, escapes: string[]) {
  const url = new URL(page.url());
  expect(url.hostname).toBe('127.0.0.1');
  expect(escapes).toEqual([]);
}

test.describe('signing in with a hostile next=', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  for (const next of HOSTILE) {
    test(`stays on the console: ${next}`, async ({ page }) => {
      const escapes = await recordEscapes(page);
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      const password = (
        await page.getByTestId('demo-user-viewer').getByTestId('demo-user-password').innerText()
      ).trim();
      await page.getByTestId('login-username').fill('viewer');
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await expect(page.getByTestId('user-name')).toHaveText('viewer');
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expectOnConsole(page, escapes);
    });
  }
});

test.describe('already signed in, opening the sign-in page with a hostile next=', () => {
  test.use({ storageState: ADMIN_STATE });

  for (const next of HOSTILE) {
    test(`is sent to the overview: ${next}`, async ({ page }) => {
      const escapes = await recordEscapes(page);
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      await expect(page.getByTestId('user-name')).toHaveText('admin');
      expectOnConsole(page, escapes);
    });
  }
});
