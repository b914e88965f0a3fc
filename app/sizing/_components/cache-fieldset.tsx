import type { SizingField } from '@/lib/domain/sizing/input';
import type { SizingFieldErrors } from '@/lib/domain/sizing/form';
import { TextField } from './form-fields';

/** Whether DTR caches are needed, and if so how many regions, nodes per region and which storage. */
export function CacheFieldset({
  on,
  fields,
  errors,
  set,
  onToggle,
}: {
  on: boolean;
  fields: Record<SizingField, string>;
  errors: SizingFieldErrors;
  set: (field: SizingField) => (value: string) => void;
  onToggle: (on: boolean) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
      <legend className="px-1 text-sm font-semibold">DTR caches</legend>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          data-testid="input-caches"
          checked={on}
          onChange={(event) => onToggle(event.target.checked)}
        />
        Caches needed for distant users
      </label>
      {on && (
        <>
          <TextField
            id="cacheRegions"
            label="Regions with a cache"
            value={fields.cacheRegions}
            error={errors.cacheRegions}
            hint="1 to 10."
            onChange={set('cacheRegions')}
          />
          <TextField
            id="cachesPerRegion"
            label="Cache nodes per region"
            value={fields.cachesPerRegion}
            error={errors.cachesPerRegion}
            hint="1 to 5; 2 or more behind a load balancer for high availability."
            onChange={set('cachesPerRegion')}
          />
          <div className="flex flex-col gap-1">
            <label htmlFor="cacheStorage" className="text-sm font-medium">
              Cache storage
            </label>
            <select
              id="cacheStorage"
              data-testid="input-cacheStorage"
              value={fields.cacheStorage}
              onChange={(event) => set('cacheStorage')(event.target.value)}
              className="w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
            >
              <option value="shared">Shared (object store or NFS)</option>
              <option value="local">Each node&apos;s own disk</option>
            </select>
          </div>
        </>
      )}
    </fieldset>
  );
}
