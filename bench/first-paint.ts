// How soon the overview shows something, and how soon its quorum banner is readable, in a real
// Chromium on a running console (a warm server): first contentful paint and the first animation
// frame in which the DTR quorum banner is laid out and visible, both from navigation start.
//
//   npx tsx bench/first-paint.ts http://127.0.0.1:3000 [runs=10]
//
// Signs in as the demo admin through the sign-in page (demo mode only). Prints each run and the
// median; no threshold, it is a measurement.
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const runs = Number(process.argv[3] ?? 10);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  const password = (
    await page.getByTestId('demo-user-admin').getByTestId('demo-user-password').innerText()
  ).trim();
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${base}/`);

  // Watches every frame from the first script run until the banner is visible.
  // A string, not a function: tsx would wrap a named function in a helper the page lacks.
  await context.addInitScript(`
    (() => {
      const tick = () => {
        const banner = document.querySelector('[data-testid="dtr-quorum-banner"]');
        if (banner && banner.getClientRects().length > 0 && banner.textContent.trim()) {
          window.__bannerAt = performance.now();
          return;
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })();
  `);

  const rows: { fcp: number; banner: number; ttfb: number }[] = [];
  for (let i = 0; i < runs + 1; i += 1) {
    await page.goto(`${base}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as { __bannerAt?: number }).__bannerAt !== undefined);
    const row = await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return {
        fcp,
        banner: (window as { __bannerAt?: number }).__bannerAt ?? NaN,
        ttfb: nav.responseStart,
      };
    });
    if (i > 0) rows.push(row); // the first load warms the server's caches
    if (i > 0)
      console.log(
        `run ${i}: TTFB ${row.ttfb.toFixed(0)} ms, FCP ${row.fcp.toFixed(0)} ms, banner ${row.banner.toFixed(0)} ms`,
      );
  }
  console.log(
    `median of ${runs}: TTFB ${median(rows.map((r) => r.ttfb)).toFixed(0)} ms, FCP ${median(rows.map((r) => r.fcp)).toFixed(0)} ms, banner ${median(rows.map((r) => r.banner)).toFixed(0)} ms (range ${Math.min(...rows.map((r) => r.banner)).toFixed(0)}–${Math.max(...rows.map((r) => r.banner)).toFixed(0)} ms)`,
  );
  await browser.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
