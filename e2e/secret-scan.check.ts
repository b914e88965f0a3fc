// Runs after every other browser test (a dependent Playwright project): the console's own
// credentials must appear in no page, no API response and no server log line of the whole run.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { E2E_SECRETS, RESPONSES_LOG, SERVER_LOG } from './secrets';

const serviceBasicAuth = Buffer.from(`console-service:${E2E_SECRETS.servicePassword}`).toString(
  'base64',
);
const SECRETS: Record<string, string> = {
  'session secret': E2E_SECRETS.sessionSecret,
  'metrics token': E2E_SECRETS.metricsToken,
  'polling password': E2E_SECRETS.servicePassword,
  'polling basic-auth header': serviceBasicAuth,
};

function leaksIn(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

/** Every page and GET route under app/, as URL paths (dynamic segments get a dummy value). */
function routesOnDisk(dir: string, base = ''): { pages: string[]; apis: string[] } {
  const out = { pages: [] as string[], apis: [] as string[] };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith('_')) continue;
      const segment = /^\(.*\)$/.test(entry.name)
        ? ''
        : /^\[.*\]$/.test(entry.name)
          ? '/scan-id'
          : `/${entry.name}`;
      const nested = routesOnDisk(path.join(dir, entry.name), `${base}${segment}`);
      out.pages.push(...nested.pages);
      out.apis.push(...nested.apis);
    } else if (entry.name === 'page.tsx') out.pages.push(base || '/');
    else if (entry.name === 'route.ts') out.apis.push(base);
  }
  return out;
}

/** The DOM once client-side redirects (e.g. /login when signed in) have finished. */
async function settledContent(page: Page): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    await page.waitForLoadState('load');
    try {
      return await page.content();
    } catch (error) {
      if (attempt >= 5) throw error;
      await page.waitForTimeout(300);
    }
  }
}

test('no page, API response or server log line carries the console’s credentials', async ({
  page,
}) => {
  const { pages, apis } = routesOnDisk(path.resolve('app'));
  const seen: { where: string; text: string }[] = [];

  for (const route of pages) {
    const response = await page.goto(route);
    seen.push({ where: `page ${route}`, text: (await response?.text()) ?? '' });
    seen.push({ where: `rendered ${route}`, text: await settledContent(page) });
  }
  for (const route of apis) {
    const response = await page.request
      .get(route, {
        headers: { authorization: `Bearer ${E2E_SECRETS.metricsToken}` },
        timeout: 10_000,
        failOnStatusCode: false,
        maxRedirects: 0,
      })
      .catch(() => null);
    // The event stream never ends: read its first snapshot through the browser instead.
    if (route === '/api/events' || !response) continue;
    seen.push({
      where: `GET ${route}`,
      text: `${JSON.stringify(response.headers())}\n${await response.text()}`,
    });
  }
  const firstEvent = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const source = new EventSource('/api/events');
        const done = (text: string) => {
          source.close();
          resolve(text);
        };
        source.addEventListener('snapshot', (event) => done((event as MessageEvent<string>).data));
        setTimeout(() => done(''), 5000);
      }),
  );
  seen.push({ where: 'GET /api/events', text: firstEvent });

  const responses = await readFile(RESPONSES_LOG, 'utf8').catch(() => '');
  const serverLog = await readFile(SERVER_LOG, 'utf8').catch(() => '');
  // The scan is only worth something if the run left material to scan.
  expect(responses.split('\n').length, 'responses recorded during the run').toBeGreaterThan(50);
  expect(serverLog, 'server log of the run').toContain('DTR HA Console');
  seen.push({ where: 'responses recorded during the e2e run', text: responses });
  seen.push({ where: 'server log', text: serverLog });

  const leaks = seen.flatMap(({ where, text }) =>
    leaksIn(text).map((secret) => `${secret} in ${where}`),
  );
  expect(leaks).toEqual([]);
});
