// Signs in through the real login page as a demo user. The demo shows its users' passwords on
// the login page in demo mode only, which is where a newcomer reads them too.
import { expect, type Page } from '@playwright/test';

export async function signInAsDemoUser(page: Page, username: 'admin' | 'viewer'): Promise<void> {
  await page.goto('/login');
  const row = page.getByTestId(`demo-user-${username}`);
  const password = (await row.getByTestId('demo-user-password').innerText()).trim();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('user-name')).toHaveText(username);
}
