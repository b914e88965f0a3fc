'use client';
// The nodes page's rows: pages of GET /api/nodes for the URL's query, loaded as the view nears the
// end of what is loaded (and as far as the highlighted node), fetched again when the live status
// shows the inventory changed (inventoryVersion), and every 30 s for what it cannot show (labels).
import { useCallback, useEffect, useMemo, useRef } from 'react';
import useSWRInfinite from 'swr/infinite';
import { NODE_PAGE_SIZE, nodePageKey, type NodePage } from '@/lib/domain/node-page-key';
import type { NodeQuery } from '@/lib/domain/node-query';
import type { NodeRow } from '@/lib/domain/node-rows';
import { apiFetch, hasKeys, type ApiFetchError } from '@/lib/hooks/api-fetch';

const fetchNodePage = (url: string): Promise<NodePage> =>
  apiFetch(url, { check: hasKeys<NodePage>('items', 'total', 'nextCursor') });

export interface NodePages {
  rows: NodeRow[];
  /** Nodes matching the filters; null until the first page came. */
  total: number | null;
  inventory: number | null;
  generatedAt: string | null;
  highlight: NonNullable<NodePage['highlight']> | null;
  /** The quorums of the snapshot the rows come from (their what-if compares with these). */
  current: NodePage['current'] | null;
  loading: boolean;
  error: ApiFetchError | undefined;
  loadMore: () => void;
}

const SLOW_REFRESH_MS = 30_000;

export function useNodePages(query: NodeQuery, version: string | null): NodePages {
  const getKey = useMemo(() => nodePageKey(query), [query]);
  const { data, error, isLoading, isValidating, size, setSize, mutate } = useSWRInfinite<
    NodePage,
    ApiFetchError
  >(getKey, fetchNodePage, {
    revalidateFirstPage: false,
    revalidateOnFocus: false,
    refreshInterval: SLOW_REFRESH_MS,
    keepPreviousData: true,
    compare: (a, b) => a === b,
  });

  // The inventory changed: fetch the loaded pages again (in order, each after the previous one's end).
  const seen = useRef(version);
  useEffect(() => {
    if (version === seen.current) return;
    seen.current = version;
    void mutate();
  }, [version, mutate]);

  const pages = useMemo(() => data ?? [], [data]);
  const rows = useMemo(() => pages.flatMap((page) => page.items), [pages]);
  const first = pages[0];
  const last = pages[pages.length - 1];
  const more = last ? last.nextCursor !== null : false;

  const loadMore = useCallback(() => {
    if (more && !isValidating && pages.length >= size) void setSize(size + 1);
  }, [more, isValidating, pages.length, size, setSize]);

  // Load as far as the highlighted node, so the table can scroll to it.
  const highlightIndex = first?.highlight?.index ?? null;
  useEffect(() => {
    if (highlightIndex === null || highlightIndex < rows.length || !more || isValidating) return;
    const wanted = Math.ceil((highlightIndex + 1) / NODE_PAGE_SIZE);
    if (wanted > size) void setSize(wanted);
  }, [highlightIndex, rows.length, more, isValidating, size, setSize]);

  return {
    rows,
    total: first?.total ?? null,
    inventory: first?.inventory ?? null,
    generatedAt: first?.generatedAt ?? null,
    highlight: first?.highlight ?? null,
    current: first?.current ?? null,
    loading: isLoading,
    error,
    loadMore,
  };
}
