'use client';

import { useId } from 'react';
import {
  AVAILABILITIES,
  HOSTS,
  ROLES,
  STATES,
  type HostsFilter,
  type NodeQuery,
} from '@/lib/domain/node-query';
import { HOSTED_LABEL } from './node-cells';

const field =
  'w-full rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 disabled:opacity-70';
const labelText = 'text-xs font-semibold text-slate-700 dark:text-slate-300';

const HOSTS_LABEL: Record<HostsFilter, string> = { ...HOSTED_LABEL, none: 'Nothing (workloads)' };

type Patch = Partial<Omit<NodeQuery, 'q' | 'sort' | 'dir' | 'node'>>;

function Select<T extends string>({
  name,
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  name: string;
  label: string;
  value: T | null;
  options: readonly { value: T; label: string }[];
  onChange: (value: T | null) => void;
  disabled: boolean;
}) {
  const id = useId();
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className={labelText}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        data-testid={`filter-${name}`}
        value={value ?? ''}
        disabled={disabled}
        onChange={(event) => onChange((event.target.value || null) as T | null)}
        className={field}
      >
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const plain = <T extends string>(values: readonly T[]) =>
  values.map((value) => ({ value, label: value }));

export interface NodeFiltersProps {
  query: NodeQuery;
  /** The search box's text as typed (the URL follows it after a pause). */
  search: string;
  onSearch: (text: string) => void;
  onChange: (patch: Patch) => void;
  onClear: () => void;
  zones: readonly string[];
  zoneLabel: string;
  /** Until the page is interactive. */
  disabled?: boolean;
}

/** Filters for the nodes table; every one of them lives in the URL. */
export function NodeFilters({
  query,
  search,
  onSearch,
  onChange,
  onClear,
  zones,
  zoneLabel,
  disabled = false,
}: NodeFiltersProps) {
  const searchId = useId();
  const zoneOptions = [...new Set([...zones, ...(query.zone ? [query.zone] : [])])].sort();
  return (
    <form
      role="search"
      aria-label="Filter nodes"
      onSubmit={(event) => event.preventDefault()}
      className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-[minmax(12rem,2fr)_repeat(5,minmax(0,1fr))_auto] lg:items-end"
    >
      <div className="col-span-2 flex min-w-0 flex-col gap-1 sm:col-span-3 lg:col-span-1">
        <label htmlFor={searchId} className={labelText}>
          Search
        </label>
        <input
          id={searchId}
          type="search"
          name="q"
          data-testid="filter-q"
          value={search}
          disabled={disabled}
          onChange={(event) => onSearch(event.target.value)}
          placeholder="hostname, address, message, label…"
          autoComplete="off"
          spellCheck={false}
          className={field}
        />
      </div>
      <Select
        name="role"
        disabled={disabled}
        label="Role"
        value={query.role}
        options={plain(ROLES)}
        onChange={(role) => onChange({ role })}
      />
      <Select
        name="state"
        disabled={disabled}
        label="State"
        value={query.state}
        options={plain(STATES)}
        onChange={(state) => onChange({ state })}
      />
      <Select
        name="availability"
        disabled={disabled}
        label="Availability"
        value={query.availability}
        options={plain(AVAILABILITIES)}
        onChange={(availability) => onChange({ availability })}
      />
      <Select
        name="zone"
        disabled={disabled}
        label={zoneLabel === 'zone' ? 'Zone' : `Zone (${zoneLabel})`}
        value={query.zone}
        options={plain(zoneOptions)}
        onChange={(zone) => onChange({ zone })}
      />
      <Select
        name="hosts"
        disabled={disabled}
        label="Hosts"
        value={query.hosts}
        options={HOSTS.map((value) => ({ value, label: HOSTS_LABEL[value] }))}
        onChange={(hosts) => onChange({ hosts })}
      />
      <button
        type="button"
        onClick={onClear}
        disabled={disabled}
        data-testid="filters-clear"
        className="col-span-2 rounded-md border border-slate-400 px-3 py-1.5 text-sm font-semibold hover:bg-slate-100 sm:col-span-1 dark:border-slate-500 dark:hover:bg-slate-800"
      >
        Clear filters
      </button>
      {query.label && (
        <p className="col-span-full flex flex-wrap items-center gap-2 text-sm">
          Only nodes labelled{' '}
          <code className="rounded bg-slate-200 px-1.5 py-0.5 font-mono dark:bg-slate-800">
            {query.label.key}={query.label.value}
          </code>
          <button
            type="button"
            onClick={() => onChange({ label: null })}
            className="font-semibold underline underline-offset-2"
          >
            Remove this filter
          </button>
        </p>
      )}
    </form>
  );
}
