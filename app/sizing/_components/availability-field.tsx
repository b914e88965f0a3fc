import { TextField } from './form-fields';

const AVAILABILITY_PRESETS = ['99', '99.5', '99.9', '99.95', '99.99'];

/** Per-node availability in percent, typed or picked from the usual values. */
export function AvailabilityField({
  value,
  error,
  onChange,
}: {
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="flex flex-col gap-1">
      <TextField
        id="availability"
        label="Per-node availability"
        value={value}
        error={error}
        suffix="%"
        inputMode="decimal"
        list="availability-presets"
        hint="90 to 99.9999: the share of the year one node is up."
        onChange={onChange}
      />
      <datalist id="availability-presets">
        {AVAILABILITY_PRESETS.map((preset) => (
          <option key={preset} value={preset} />
        ))}
      </datalist>
      <div className="flex flex-wrap gap-1" role="group" aria-label="Common availabilities">
        {AVAILABILITY_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            aria-pressed={value === preset}
            onClick={() => onChange(preset)}
            className="rounded border border-slate-300 px-1.5 py-0.5 text-xs aria-pressed:bg-slate-900 aria-pressed:text-white dark:border-slate-600 dark:aria-pressed:bg-slate-100 dark:aria-pressed:text-slate-900"
          >
            {preset}%
          </button>
        ))}
      </div>
    </div>
  );
}
