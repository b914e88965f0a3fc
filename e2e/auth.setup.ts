// Signs in once as the demo's admin and viewer through the real login page, and saves each
// session for the tests (Playwright "setup" project). The demo prints its users' passwords on
// the login page in demo mode only, which is where a newcomer reads them too.
import { expect, test as setup } from '@playwright/test';

import { ADMIN_STATE, VIEWER_STATE } from './auth-state';

for (const [username, file] of [
  ['admin', ADMIN_STATE],
  ['viewer', VIEWER_STATE],
] as const) {
  setup(`sign in as the demo ${username}`, async ({ page }) => {
    await page.goto('/login');
    const row = page.getByTestId(`demo-user-${username}`);
    const password = (await row.getByTestId('demo-user-password').innerText()).trim();
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('user-name')).toHaveText(username);
    await page.context().storageState({ path: file });
  });
}
