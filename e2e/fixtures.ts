// Tests run signed in as the demo admin (see auth.setup.ts). Requests a test sends itself through
// page.request carry the session's CSRF token, as the console's own pages do. Every response the
// browser receives is kept for the secret scan that runs after all tests (secret-scan.check.ts).
import { appendFile, mkdir } from 'node:fs/promises';
import { test as base, expect, type Response } from '@playwright/test';
import { E2E_LOG_DIR, RESPONSES_LOG } from './secrets';

async function bodyOf(response: Response): Promise<string | null> {
  const type = response.headers()['content-type'] ?? '';
  // An event stream never ends; the scan reads /api/events on its own.
  if (type.includes('text/event-stream') || /image|font/.test(type)) return null;
  // A body still streaming when the test ends (a poll in flight) is not worth waiting for.
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000).unref());
  try {
    return await Promise.race([response.text(), timeout]);
  } catch {
    return null; // the page navigated away before the body arrived
  }
}

export const test = base.extend<{ csrf: string; recordResponses: void }>({
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
  recordResponses: [
    async ({ page }, use) => {
      const pending: Promise<void>[] = [];
      const records: string[] = [];
      page.on('response', (response) => {
        pending.push(
          bodyOf(response).then((body) => {
            const headers = JSON.stringify(response.headers());
            records.push(JSON.stringify({ url: response.url(), headers, body }));
          }),
        );
      });
      await use();
      await Promise.allSettled(pending);
      await mkdir(E2E_LOG_DIR, { recursive: true });
      if (records.length) await appendFile(RESPONSES_LOG, `${records.join('\n')}\n`);
    },
    { auto: true },
  ],
});

export { expect };
