'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { currentQuorums, failureZones } from '@/lib/domain/placement';
import { inventoryVersion } from '@/lib/domain/status-document';
import { formatDateTime } from '@/lib/format';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useHydrated } from '@/lib/hooks/use-hydrated';
import { useNodePages } from '@/components/nodes/use-node-pages';
import { CardSort, NodeCards } from '@/components/nodes/node-cards';
import { NodeFilters } from '@/components/nodes/node-filters';
import {
  DEFAULT_QUERY,
  isFiltered,
  nodeQueryString,
  parseNodeQuery,
  type NodeQuery,
  type SortKey,
} from '@/lib/domain/node-query';
import { NodesTable } from '@/components/nodes/nodes-table';
import { zoneLabelOf } from '@/components/nodes/zone-label';
import { panelTone } from '@/components/ui/tone';
import { NodesNotices } from './nodes-notices';

const SEARCH_DEBOUNCE_MS = 300;
const count = new Intl.NumberFormat('en-US');

/**
 * The nodes page's live island: the inventory paged from GET /api/nodes, filtered and sorted on
 * the server by the URL's query, fetched again whenever the live status brings a new snapshot.
 */
export function NodesView() {
  const { status, error } = useClusterStatus();
  const hydrated = useHydrated();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const zoneLabel = zoneLabelOf(status);
  const { query, notices } = useMemo(
    () => parseNodeQuery(searchParams, zoneLabel),
    [searchParams, zoneLabel],
  );

  // The URL is the state; replaceState (not router.replace) changes it without re-rendering the
  // page on the server; the island fetches the matching page itself.
  const replaceQuery = useCallback(
    (next: NodeQuery) =>
      window.history.replaceState(null, '', `${pathname}${nodeQueryString(next)}`),
    [pathname],
  );

  // The search box follows the typing at once; the URL follows after a pause.
  const [search, setSearch] = useState(query.q);
  const [urlSearch, setUrlSearch] = useState(query.q);
  if (query.q !== urlSearch) {
    setUrlSearch(query.q);
    if (search.trim() !== query.q) setSearch(query.q);
  }
  useEffect(() => {
    if (search.trim() === query.q) return;
    const timer = setTimeout(() => replaceQuery({ ...query, q: search }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, query, replaceQuery]);

  const version = useMemo(() => (status ? inventoryVersion(status) : null), [status]);
  const nodes = useNodePages(query, version);
  const shown = nodes.rows;
  // The rows' what-if compares with the quorums of the rows' own snapshot, not the status's.
  const ownCurrent = useMemo(() => status && currentQuorums(status), [status]);
  const current = nodes.current ?? ownCurrent;
  // Every zone of the inventory, from the served counts (the listed nodes are only some of them).
  const zones = useMemo(() => {
    if (!status) return [];
    const counted = status.ucp.nodeCounts?.zone;
    return counted ? Object.keys(counted).sort() : failureZones(status, zoneLabel);
  }, [status, zoneLabel]);

  if (!status || !current) return null;
  const inventory = nodes.inventory ?? status.ucp.nodeCounts?.total ?? status.ucp.nodes.length;
  const total = nodes.total ?? 0;

  const onSort = (key: SortKey) =>
    replaceQuery({
      ...query,
      q: search,
      sort: key,
      dir: query.sort === key && query.dir === 'asc' ? 'desc' : 'asc',
    });
  const clear = () =>
    replaceQuery({ ...DEFAULT_QUERY, sort: query.sort, dir: query.dir, node: query.node });
  const highlight = nodes.highlight;
  const highlightKnown = highlight === null || highlight.known;
  const highlightHidden = highlight !== null && highlight.known && highlight.index === null;
  const empty = (
    <span>
      No node matches these filters.{' '}
      <button type="button" onClick={clear} className="font-semibold underline">
        Clear filters
      </button>
    </span>
  );

  return (
    <div className="flex flex-col gap-4">
      <NodeFilters
        query={query}
        search={search}
        onSearch={setSearch}
        onChange={(patch) => replaceQuery({ ...query, q: search, ...patch })}
        onClear={clear}
        zones={zones}
        zoneLabel={zoneLabel}
        disabled={!hydrated}
      />
      <NodesNotices
        notices={notices}
        onDropInvalid={() => replaceQuery({ ...query, q: search })}
        missingNode={query.node !== null && !highlightKnown ? query.node : null}
        hiddenNode={highlightHidden ? query.node : null}
        onShowAll={clear}
      />
      {(error || nodes.error) && (
        <p role="alert" className={`rounded-md border-l-4 p-3 text-sm ${panelTone.bad}`}>
          {nodes.error && !error
            ? `The inventory could not be read: ${nodes.error.message}`
            : `The console is not answering; the table shows the inventory from ${formatDateTime(nodes.generatedAt ?? status.generatedAt)}.`}
        </p>
      )}
      <p
        data-testid="nodes-count"
        aria-live="polite"
        className="text-sm font-medium text-slate-700 dark:text-slate-300"
      >
        {nodes.loading && nodes.total === null
          ? `Reading ${count.format(inventory)} nodes…`
          : `Showing ${count.format(total)} of ${count.format(inventory)} nodes`}
        {isFiltered(query) && total < inventory ? ' (filtered)' : ''}
      </p>
      {/* One layout at a time: the table from md up, cards on a phone (CSS decides, so the
          server's HTML is already right for the screen). */}
      <div className="hidden md:block">
        <NodesTable
          rows={shown}
          total={inventory}
          current={current}
          sort={query.sort}
          dir={query.dir}
          onSort={onSort}
          highlight={query.node}
          interactive={hydrated}
          empty={nodes.loading ? null : empty}
          onNearEnd={nodes.loadMore}
        />
      </div>
      <div className="flex flex-col gap-3 md:hidden">
        <CardSort
          sort={query.sort}
          dir={query.dir}
          disabled={!hydrated}
          onSort={(sort, dir) => replaceQuery({ ...query, q: search, sort, dir })}
        />
        <NodeCards
          rows={shown}
          current={current}
          highlight={query.node}
          empty={nodes.loading ? null : empty}
          onNearEnd={nodes.loadMore}
        />
      </div>
    </div>
  );
}
