'use client';
// The one exception to "the page scrolls, not boxes inside it": a table wider than the screen
// scrolls sideways, says so, and keeps its first column (the member's name) in view.
import { useCallback, useEffect, useRef, useState } from 'react';

interface Overflow {
  /** The table is wider than its box. */
  wide: boolean;
  /** Columns hidden on the left / on the right. */
  left: boolean;
  right: boolean;
}

const FITS: Overflow = { wide: false, left: false, right: false };

function ArrowIcon() {
  return (
    <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
      <path d="M3 10a.75.75 0 0 1 .75-.75h10.64l-3.22-3.22a.75.75 0 1 1 1.06-1.06l4.5 4.5a.75.75 0 0 1 0 1.06l-4.5 4.5a.75.75 0 1 1-1.06-1.06l3.22-3.22H3.75A.75.75 0 0 1 3 10Z" />
    </svg>
  );
}

/**
 * Wraps one `<table>`. While the table fits, nothing scrolls here (so a sticky header follows
 * the page); when it does not, the box scrolls sideways only, shows a hint and a shadow on the
 * side where columns are hidden, and becomes focusable so the keyboard can scroll it.
 * `stickyFirstColumn` keeps each row's first cell in view (give rows an opaque background or
 * leave them to the default surface).
 */
export function WideTable({
  label,
  stickyFirstColumn = true,
  testId,
  children,
}: {
  /** Names the scroll region, e.g. "UCP nodes". */
  label: string;
  stickyFirstColumn?: boolean;
  testId?: string;
  children: React.ReactNode;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  // Until measured (server render), assume it may be wide: the page itself must never scroll
  // sideways.
  const [overflow, setOverflow] = useState<Overflow | null>(null);

  const measure = useCallback(() => {
    const box = boxRef.current;
    if (!box) return;
    const content = box.firstElementChild as HTMLElement | null;
    const width = Math.max(box.scrollWidth, content?.scrollWidth ?? 0);
    const wide = width > box.clientWidth + 1;
    const next: Overflow = wide
      ? {
          wide,
          left: box.scrollLeft > 1,
          right: box.scrollLeft + box.clientWidth < width - 1,
        }
      : FITS;
    setOverflow((prev) =>
      prev && prev.wide === next.wide && prev.left === next.left && prev.right === next.right
        ? prev
        : next,
    );
  }, []);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    box.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      box.removeEventListener('scroll', measure);
    };
  }, [measure]);

  const scrolls = overflow === null || overflow.wide;
  return (
    <div className="flex w-full min-w-0 flex-col gap-1" data-testid={testId}>
      {overflow?.wide && (
        <p
          data-testid="wide-table-hint"
          className="flex items-center gap-1 text-xs font-medium text-slate-700 dark:text-slate-300"
        >
          Wider than the screen: scroll sideways for more columns
          <ArrowIcon />
        </p>
      )}
      <div className="relative">
        <div
          ref={boxRef}
          data-wide-table=""
          data-overflowing={overflow?.wide ? 'true' : 'false'}
          data-scrolled={overflow?.left ? 'true' : undefined}
          role={overflow?.wide ? 'region' : undefined}
          aria-label={overflow?.wide ? `${label} (scrolls sideways)` : undefined}
          tabIndex={overflow?.wide ? 0 : undefined}
          // Size containment: the box takes its container's width whatever the table's, so a
          // wide table can never widen the page (and the measurement above sees the truth).
          // Relative: screen-reader-only text (absolutely placed) stays inside the box too.
          className={`wide-table relative rounded-lg border border-slate-300 bg-white shadow-sm [contain:inline-size] dark:border-slate-700 dark:bg-slate-900 ${
            scrolls ? 'overflow-x-auto overflow-y-hidden' : ''
          } ${stickyFirstColumn ? 'wide-table-sticky' : ''}`}
        >
          {children}
        </div>
        {overflow?.right && (
          <div
            aria-hidden="true"
            data-testid="wide-table-more-right"
            className="pointer-events-none absolute inset-y-0 right-0 w-6 rounded-r-lg bg-gradient-to-l from-slate-900/20 to-transparent dark:from-black/60"
          />
        )}
      </div>
    </div>
  );
}
