// Form controls for the sizing form: a label, the control, a hint, and an error read out as it appears.
import { countOf } from '@/lib/domain/sizing/words';
import { MAX_RECOMMENDED_MEMBERS_INPUT_HINT } from '@/lib/domain/sizing/input';
import type { TierTarget } from '@/lib/domain/sizing/input';

const INPUT =
  'w-full rounded-md border bg-white px-2.5 py-1.5 text-sm tabular-nums dark:bg-slate-900 aria-[invalid=true]:border-red-600 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-600 dark:aria-[invalid=true]:border-red-400 dark:aria-[invalid=true]:ring-red-400 border-slate-300 dark:border-slate-600';

export function FieldError({ id, error }: { id: string; error?: string }) {
  return (
    <p
      id={`${id}-error`}
      data-testid={`error-${id}`}
      aria-live="polite"
      className="text-sm font-medium text-red-800 empty:hidden dark:text-red-300"
    >
      {error}
    </p>
  );
}

export function TextField({
  id,
  label,
  value,
  error,
  hint,
  suffix,
  placeholder,
  inputMode = 'numeric',
  list,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  suffix?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal';
  list?: string;
  onChange: (value: string) => void;
}) {
  const describedBy = [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={id}
          name={id}
          type="text"
          inputMode={inputMode}
          autoComplete="off"
          data-testid={`input-${id}`}
          value={value}
          placeholder={placeholder}
          list={list}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
          className={INPUT}
        />
        {suffix && <span className="text-sm text-slate-700 dark:text-slate-300">{suffix}</span>}
      </div>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** A quorum tier sized by failures to tolerate (0–3) or by a member count. */
export function TierField({
  id,
  legend,
  one,
  many,
  by,
  failures,
  count,
  error,
  onBy,
  onFailures,
  onCount,
}: {
  id: string;
  legend: string;
  /** The member in the singular and plural: "replica", "replicas". */
  one: string;
  many: string;
  by: TierTarget['by'];
  failures: string;
  count: string;
  error?: string;
  onBy: (by: TierTarget['by']) => void;
  onFailures: (value: string) => void;
  onCount: (value: string) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {(['failures', 'count'] as const).map((option) => (
          <label key={option} className="flex items-center gap-1.5">
            <input
              type="radio"
              name={`${id}-by`}
              value={option}
              data-testid={`input-${id}-by-${option}`}
              checked={by === option}
              onChange={() => onBy(option)}
            />
            {option === 'failures' ? 'Failures to tolerate' : `Number of ${many}`}
          </label>
        ))}
      </div>
      {by === 'failures' ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-failures`} className="text-sm font-medium">
            Failures to tolerate
          </label>
          <select
            id={`${id}-failures`}
            data-testid={`input-${id}-failures`}
            value={failures}
            onChange={(event) => onFailures(event.target.value)}
            className={INPUT}
          >
            {[0, 1, 2, 3].map((f) => (
              <option key={f} value={f}>
                {f} ({countOf(2 * f + 1, one, many)})
              </option>
            ))}
          </select>
        </div>
      ) : (
        <TextField
          id={`${id}-count`}
          label={`${many[0]?.toUpperCase()}${many.slice(1)}`}
          value={count}
          error={error}
          hint={MAX_RECOMMENDED_MEMBERS_INPUT_HINT}
          onChange={onCount}
        />
      )}
    </fieldset>
  );
}
