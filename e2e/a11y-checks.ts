// What every accessibility check shares (a11y.spec.ts, fleet.spec.ts): the two screen sizes,
// the axe findings that fail a page, and the "page scrolls, not boxes inside it" rule.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export type Size = 'desktop' | 'phone';

export const SIZES: Record<Size, { width: number; height: number }> = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
};

/** Below serious, the findings the issue named: these fail too. */
export const NAMED_RULES = new Set([
  'landmark-unique',
  'label-content-name-mismatch',
  'empty-table-header',
  'color-contrast',
]);

export function describeViolations(
  violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations'],
) {
  return violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'no impact'}): ${v.help} — ${v.nodes
        .slice(0, 4)
        .map((n) => n.target.join(' '))
        .join(' | ')}${v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : ''}`,
  );
}

/** The axe findings that fail `page`: serious or critical, and the named ones below that. */
export async function axeFailures(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .options({
      // Experimental in axe, so off unless asked for: the sign-in page's "Use" buttons.
      rules: { 'label-content-name-mismatch': { enabled: true } },
    })
    .analyze();
  return describeViolations(
    violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical' || NAMED_RULES.has(v.id),
    ),
  );
}

/** Offenders against "the page scrolls, not boxes inside it", described for a person. */
export function scrollOffenders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const testId = el.getAttribute('data-testid');
      const label = el.getAttribute('aria-label');
      const cls = (el.getAttribute('class') ?? '').slice(0, 80);
      return `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${testId ? ` data-testid="${testId}"` : ''}${label ? ` aria-label="${label}"` : ''} class="${cls}">`;
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) continue;
      const style = getComputedStyle(el);
      const scrollsY = style.overflowY === 'auto' || style.overflowY === 'scroll';
      if (scrollsY && el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1)
        out.push(
          `${describe(el)} scrolls on its own: ${el.scrollHeight} px of content in ${el.clientHeight} px`,
        );
      const scrollsX = style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (
        scrollsX &&
        el.clientWidth > 0 &&
        el.scrollWidth > el.clientWidth + 1 &&
        el.querySelector('table') &&
        !el.matches('[data-wide-table][data-overflowing="true"]')
      )
        out.push(`${describe(el)} holds a table that scrolls sideways with no hint`);
    }
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1)
      out.push(
        `the page itself scrolls sideways: ${root.scrollWidth} px in ${window.innerWidth} px`,
      );
    return out;
  });
}
