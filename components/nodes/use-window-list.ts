'use client';
// A list virtualised against the page's own scroll (the page scrolls, not a box inside it).
import { useWindowVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

// useLayoutEffect warns in the server render; the measurement only matters in the browser.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/** Where `element` starts in the document, for the virtualiser's scroll margin. */
function documentTop(element: HTMLElement): number {
  return element.getBoundingClientRect().top + window.scrollY;
}

/**
 * `startRef` goes on the element whose top is where item 0 starts. `measure` (for items of
 * varying height) reads each rendered item; while the list is hidden (display: none, e.g. the
 * phone cards on a desktop) it keeps the estimate, so a hidden list never renders every item.
 */
export function useWindowList<T extends HTMLElement>({
  count,
  estimateSize,
  getItemKey,
  overscan,
  measure = false,
}: {
  count: number;
  estimateSize: number;
  getItemKey: (index: number) => string | number;
  overscan: number;
  measure?: boolean;
}): { startRef: React.RefObject<T | null>; virtualizer: Virtualizer<Window, Element> } {
  const startRef = useRef<T>(null);
  const [scrollMargin, setScrollMargin] = useState(0);

  // Whatever sits above the list (filters, notices) moves it: re-read its top after each render
  // and whenever the page's size changes.
  useIsomorphicLayoutEffect(() => {
    const element = startRef.current;
    if (!element) return;
    const top = documentTop(element);
    if (Math.abs(top - scrollMargin) > 0.5) setScrollMargin(top);
  });
  useEffect(() => {
    const update = () => {
      const element = startRef.current;
      if (element) setScrollMargin(documentTop(element));
    };
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read in render on purpose
  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => estimateSize,
    getItemKey,
    overscan,
    scrollMargin,
    // Server render and first paint: a screenful of items before the window is measured.
    initialRect: { width: 1200, height: 900 },
    ...(measure
      ? {
          measureElement: (element: Element) =>
            element.getBoundingClientRect().height || estimateSize,
        }
      : {}),
  });
  return { startRef, virtualizer };
}

/** Whether `element` is laid out (not inside display: none). */
export function isShown(element: HTMLElement | null): boolean {
  return element !== null && element.getClientRects().length > 0;
}

/** How close to the last loaded item the view may come before the next page is asked for. */
const NEAR_END = 40;

/**
 * Calls `onNearEnd` when the last item rendered comes within NEAR_END of the last one loaded,
 * while the list is laid out (the hidden one of table and cards asks for nothing).
 */
export function useNearEnd(
  lastRendered: number,
  loaded: number,
  startRef: React.RefObject<HTMLElement | null>,
  onNearEnd: (() => void) | undefined,
): void {
  const near = lastRendered >= 0 && lastRendered >= loaded - NEAR_END;
  useEffect(() => {
    if (near && onNearEnd && isShown(startRef.current)) onNearEnd();
  }, [near, loaded, onNearEnd, startRef]);
}
