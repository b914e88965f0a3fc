// Tests run signed in as the demo admin (see auth.setup.ts). Requests a test sends itself through
// page.request carry the session's CSRF token, as the console's own pages do.
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ csrf: string }>({
  csrf: [
    async ({ context }, use) => {
      const me = await context.request.get('/api/auth/me');
      const body = (await me.json()) as { csrfToken?: string };
      const token = body.csrfToken ?? '';
      await context.setExtraHTTPHeaders({ 'x-csrf-token': token });
      await use(token);
    },
    { auto: true },
  ],
});

export { expect };
