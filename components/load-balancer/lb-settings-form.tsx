'use client';

import { LB_KINDS, LB_OPTIONS_USED, type LbKind } from '@/lib/domain/lb/option-values';
import { hintFor, LB_FIELD_GROUPS, LB_KIND_LABELS, type LbFieldSpec } from './lb-fields';
import type { LbFormState, LbSetting } from './lb-form';

const INPUT =
  'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm tabular-nums dark:border-slate-600 dark:bg-slate-900 aria-[invalid=true]:border-red-600 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-600 dark:aria-[invalid=true]:border-red-400 dark:aria-[invalid=true]:ring-red-400';
const FIELDSET = 'flex flex-col gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700';

function Field({
  field,
  kind,
  value,
  error,
  disabled,
  onChange,
}: {
  field: LbFieldSpec;
  kind: LbKind;
  value: string;
  error?: string;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  const id = `lb-${field.key}`;
  const hint = hintFor(field, kind);
  const describedBy = [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' ');
  const common = {
    id,
    name: field.key,
    'data-testid': `lb-field-${field.key}`,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    disabled,
  };
  return (
    <div className="flex flex-col gap-1">
      {field.control === 'checkbox' ? (
        <label className="flex items-center gap-2 text-sm font-medium">
          <input
            {...common}
            type="checkbox"
            checked={value === 'true'}
            onChange={(event) => onChange(event.target.checked ? 'true' : 'false')}
          />
          {field.label}
        </label>
      ) : (
        <>
          <label htmlFor={id} className="text-sm font-medium">
            {field.label}
          </label>
          <div className="flex items-center gap-2">
            {field.control === 'select' ? (
              <select
                {...common}
                value={value}
                onChange={(event) => onChange(event.target.value)}
                className={INPUT}
              >
                {field.choices?.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                value={value}
                onChange={(event) => onChange(event.target.value)}
                className={`${INPUT} disabled:opacity-60`}
              />
            )}
            {field.unit && (
              <span className="text-sm text-slate-700 dark:text-slate-300">{field.unit}</span>
            )}
          </div>
        </>
      )}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
      <p
        id={`${id}-error`}
        data-testid={`lb-error-${field.key}`}
        aria-live="polite"
        className="text-sm font-medium text-red-800 empty:hidden dark:text-red-300"
      >
        {error}
      </p>
    </div>
  );
}

/** The generator's settings: the load balancer, then only the settings that one uses. */
export function LbSettingsForm({
  form,
  errors,
  onKind,
  onChange,
}: {
  form: LbFormState;
  errors: Partial<Record<string, string>>;
  onKind: (kind: LbKind) => void;
  onChange: (key: LbSetting, value: string) => void;
}) {
  const used = LB_OPTIONS_USED[form.kind];
  return (
    <form
      aria-label="Load balancer settings"
      data-testid="lb-settings"
      className="flex flex-col gap-4"
      onSubmit={(event) => event.preventDefault()}
    >
      <fieldset className={FIELDSET}>
        <legend className="px-1 text-sm font-semibold">Load balancer</legend>
        <div className="flex flex-col gap-1.5 text-sm">
          {LB_KINDS.map((kind) => (
            <label key={kind} className="flex items-center gap-2">
              <input
                type="radio"
                name="kind"
                value={kind}
                data-testid={`lb-kind-${kind}`}
                checked={form.kind === kind}
                onChange={() => onKind(kind)}
              />
              {LB_KIND_LABELS[kind]}
            </label>
          ))}
        </div>
      </fieldset>
      {LB_FIELD_GROUPS.map((group) => {
        const fields = group.fields.filter((field) => used.includes(field.key));
        if (fields.length === 0) return null;
        return (
          <fieldset key={group.title} className={FIELDSET}>
            <legend className="px-1 text-sm font-semibold">{group.title}</legend>
            {fields.map((field) => (
              <Field
                key={field.key}
                field={field}
                kind={form.kind}
                value={form[field.key]}
                error={errors[field.key]}
                disabled={field.key === 'statsPort' && form.stats !== 'true'}
                onChange={(value) => onChange(field.key, value)}
              />
            ))}
          </fieldset>
        );
      })}
    </form>
  );
}
