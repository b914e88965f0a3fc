// Signs in once as the demo's admin and viewer and saves each session for the tests
// (Playwright "setup" project).
import { test as setup } from '@playwright/test';
import { ADMIN_STATE, VIEWER_STATE } from './auth-state';
import { signInAsDemoUser } from './sign-in';

for (const [username, file] of [
  ['admin', ADMIN_STATE],
  ['viewer', VIEWER_STATE],
] as const) {
  setup(`sign in as the demo ${username}`, async ({ page }) => {
    await signInAsDemoUser(page, username);
    await page.context().storageState({ path: file });
  });
}
