'use client';

import { useClusterHref } from '@/lib/hooks/cluster-url';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, useTransition } from 'react';
import {
  DEFAULT_SIZING_INPUT,
  type SizingField,
  type SizingInput,
} from '@/lib/domain/sizing/input';
import {
  formStateFromInput,
  inputFromForm,
  planFreshness,
  type SizingFormState,
} from '@/lib/domain/sizing/form';
import { serializeSizingInput } from '@/lib/domain/sizing/url';
import { AvailabilityField } from './availability-field';
import { CacheFieldset } from './cache-fieldset';
import { TextField, TierField } from './form-fields';
import { useFreshness } from './freshness';

const UPDATE_DELAY_MS = 350;

const RESET =
  'rounded-md px-2 py-1 text-sm font-medium text-sky-800 underline underline-offset-2 dark:text-sky-300';

const FIELDSET = 'flex flex-col gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700';

/**
 * The plan's inputs. Every change is checked at the field; valid values go into the URL (debounced,
 * replacing the history entry) and the server recomputes the plan. A refused field keeps its text
 * and its message, and the URL keeps that field's last valid value.
 */
export function SizingForm({
  input,
  query,
  liveInput,
}: {
  input: SizingInput;
  query: string;
  /** The running cluster as an input, for "Reset to the running cluster"; null without one. */
  liveInput: SizingInput | null;
}) {
  const router = useRouter();
  const toCluster = useClusterHref();
  const [state, setState] = useState<SizingFormState>(() => formStateFromInput(input));
  const [pending, startTransition] = useTransition();
  // A new query that this form did not write (a link, "start from the defaults") replaces what the
  // form holds; one it wrote itself must not, or typing during the round trip would be lost.
  const [written, setWritten] = useState<string[]>([]);
  const [shownQuery, setShownQuery] = useState(query);
  if (query !== shownQuery) {
    setShownQuery(query);
    if (!written.includes(query)) setState(formStateFromInput(input));
  }
  const { input: next, errors } = useMemo(() => inputFromForm(state, input), [state, input]);
  const nextQuery = serializeSizingInput(next);

  // Tell the plan (and its exports) whether it is the plan for what the form shows.
  const { setFreshness } = useFreshness();
  const freshness = useMemo(
    () => planFreshness({ state, errors, planInput: input, pending: nextQuery !== query }),
    [state, errors, input, nextQuery, query],
  );
  useEffect(() => setFreshness(freshness), [freshness, setFreshness]);

  useEffect(() => {
    if (nextQuery === query) return;
    const timer = setTimeout(() => {
      setWritten((queries) => [...queries.slice(-9), nextQuery]);
      startTransition(() => router.replace(toCluster(`/sizing?${nextQuery}`), { scroll: false }));
    }, UPDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [nextQuery, query, router]);

  const set = (field: SizingField) => (value: string) =>
    setState((s) => ({ ...s, fields: { ...s.fields, [field]: value } }));
  const { fields } = state;
  const errorCount = Object.keys(errors).length;

  return (
    <form
      aria-label="Sizing inputs"
      data-testid="sizing-form"
      className="flex flex-col gap-4"
      onSubmit={(event) => event.preventDefault()}
    >
      <TierField
        id="dtr"
        legend="DTR replicas"
        one="replica"
        many="replicas"
        by={state.dtrBy}
        failures={fields.dtrFailures}
        count={fields.replicas}
        error={errors.replicas}
        onBy={(dtrBy) => setState((s) => ({ ...s, dtrBy }))}
        onFailures={set('dtrFailures')}
        onCount={set('replicas')}
      />
      <TierField
        id="ucp"
        legend="UCP managers"
        one="manager"
        many="managers"
        by={state.ucpBy}
        failures={fields.ucpFailures}
        count={fields.managers}
        error={errors.managers}
        onBy={(ucpBy) => setState((s) => ({ ...s, ucpBy }))}
        onFailures={set('ucpFailures')}
        onCount={set('managers')}
      />

      <fieldset className={FIELDSET}>
        <legend className="px-1 text-sm font-semibold">Nodes and zones</legend>
        <TextField
          id="workers"
          label="Application workers"
          value={fields.workers}
          error={errors.workers}
          hint="0 to 10,000 nodes for your own services."
          onChange={set('workers')}
        />
        <TextField
          id="zones"
          label="Failure zones"
          value={fields.zones}
          error={errors.zones}
          hint="1 to 5 racks, rooms or availability zones."
          onChange={set('zones')}
        />
        <AvailabilityField
          value={fields.availability}
          error={errors.availability}
          onChange={set('availability')}
        />
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            data-testid="input-dtrOnManagers"
            checked={fields.dtrOnManagers === '1'}
            onChange={(event) => set('dtrOnManagers')(event.target.checked ? '1' : '0')}
          />
          <span>Run DTR on the UCP manager nodes (not supported: see why)</span>
        </label>
      </fieldset>

      <CacheFieldset
        on={state.cachesOn}
        fields={fields}
        errors={errors}
        set={set}
        onToggle={(cachesOn) =>
          setState((s) => ({
            ...s,
            cachesOn,
            fields: {
              ...s.fields,
              cacheRegions: cachesOn && s.fields.cacheRegions === '0' ? '1' : s.fields.cacheRegions,
            },
          }))
        }
      />

      <fieldset className={FIELDSET}>
        <legend className="px-1 text-sm font-semibold">DTR node size (optional)</legend>
        <TextField
          id="memoryGb"
          label="Memory"
          suffix="GB"
          placeholder="16"
          value={fields.memoryGb}
          error={errors.memoryGb}
          onChange={set('memoryGb')}
        />
        <TextField
          id="vcpus"
          label="vCPUs"
          placeholder="4"
          value={fields.vcpus}
          error={errors.vcpus}
          onChange={set('vcpus')}
        />
        <TextField
          id="diskGb"
          label="Disk"
          suffix="GB"
          placeholder="50"
          value={fields.diskGb}
          error={errors.diskGb}
          onChange={set('diskGb')}
        />
      </fieldset>

      <div className="flex flex-wrap items-center justify-between gap-2">
        <p
          role="status"
          data-testid="form-status"
          data-state={pending ? 'updating' : errorCount > 0 ? 'invalid' : 'ready'}
          className="text-sm text-slate-700 dark:text-slate-300"
        >
          {pending
            ? 'Updating the plan…'
            : errorCount > 0
              ? `${errorCount} ${errorCount === 1 ? 'field needs' : 'fields need'} fixing; the plan keeps the last valid value.`
              : ''}
        </p>
        <div className="flex flex-wrap gap-1">
          {liveInput && (
            <button
              type="button"
              data-testid="sizing-reset-live"
              onClick={() => setState(formStateFromInput(liveInput))}
              className={RESET}
            >
              Reset to the running cluster
            </button>
          )}
          <button
            type="button"
            data-testid="sizing-reset"
            onClick={() => setState(formStateFromInput(DEFAULT_SIZING_INPUT))}
            className={RESET}
          >
            Reset to defaults
          </button>
        </div>
      </div>
    </form>
  );
}
