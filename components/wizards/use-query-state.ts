'use client';
// Wizard state in the URL, updated with the history API so no server round trip is needed
// (Next keeps useSearchParams in step with pushState/replaceState).
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

type Query = Pick<URLSearchParams, 'get'>;

export function useQueryState<T>(parse: (query: Query) => T, serialize: (value: T) => string) {
  const search = useSearchParams();
  const value = useMemo(() => parse(search), [parse, search]);
  const set = useCallback(
    (next: T, { push = false }: { push?: boolean } = {}) => {
      const url = `${window.location.pathname}${serialize(next)}`;
      if (push) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [serialize],
  );
  return [value, set] as const;
}
