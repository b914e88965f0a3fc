import Form from 'next/form';
import Link from '@/components/ui/cluster-link';
import { HISTORY_PRESETS, type HistoryPreset } from '@/lib/domain/history/range';
import { buttonClass } from '@/components/ui/styles';

const PRESET_LABEL: Record<HistoryPreset, string> = {
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

/** "2024-05-01T12:00" in UTC, the value a datetime-local input takes. */
const inputValue = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** Presets are links and the custom range a GET form: the range lives in the URL. */
export function RangePicker({
  preset,
  from,
  to,
}: {
  preset: HistoryPreset | null;
  from: number;
  to: number;
}) {
  return (
    <nav
      aria-label="Time range"
      className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between"
    >
      <ul className="flex flex-wrap gap-1 text-sm" data-testid="history-presets">
        {(Object.keys(HISTORY_PRESETS) as HistoryPreset[]).map((p) => (
          <li key={p}>
            <Link
              href={`/history?range=${p}`}
              aria-current={p === preset ? 'page' : undefined}
              className={`block rounded-md px-2.5 py-1.5 font-medium ring-1 ring-slate-300 ring-inset dark:ring-slate-700 ${
                p === preset
                  ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'
                  : 'bg-white text-slate-800 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800'
              }`}
            >
              {PRESET_LABEL[p]}
            </Link>
          </li>
        ))}
      </ul>
      <Form
        action="/history"
        className="flex flex-wrap items-end gap-2 text-sm"
        aria-label="Custom range"
      >
        <label className="flex flex-col gap-0.5">
          <span className="font-medium">From (UTC)</span>
          <input
            type="datetime-local"
            name="from"
            required
            defaultValue={inputValue(from)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
          />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="font-medium">To (UTC)</span>
          <input
            type="datetime-local"
            name="to"
            required
            defaultValue={inputValue(to)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
          />
        </label>
        <button type="submit" className={buttonClass.primary}>
          Show range
        </button>
      </Form>
    </nav>
  );
}
