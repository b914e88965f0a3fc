import Form from 'next/form';
import Link from '@/components/ui/cluster-link';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '@/lib/auth/audit';
import { ACTION_LABEL, OUTCOME_LABEL } from './labels';
import { buttonClass } from '@/components/ui/styles';

const FIELD =
  'h-8 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900';

const PAGE_SIZES = [25, 50, 100, 200];

/** The usual sizes, and the one a shared link asked for when it is another. */
function pageSizes(current: number): number[] {
  return [...new Set([...PAGE_SIZES, current])].sort((a, b) => a - b);
}

export interface FilterDefaults {
  actor: string;
  action: string;
  outcome: string;
  /** datetime-local values, UTC. */
  from: string;
  to: string;
  limit: number;
}

/** A GET form: the filters land in the URL (shareable), and a new filter starts at the newest. */
export function AuditFilters({ values }: { values: FilterDefaults }) {
  return (
    <Form
      action="/audit"
      aria-label="Filter the audit log"
      data-testid="audit-filters"
      className="flex flex-wrap items-end gap-3 text-sm"
    >
      <label className="flex flex-col gap-0.5">
        <span className="font-medium">Who</span>
        <input
          type="search"
          name="actor"
          defaultValue={values.actor}
          placeholder="part of a username"
          maxLength={200}
          className={FIELD}
        />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="font-medium">What</span>
        <select name="action" defaultValue={values.action} className={FIELD}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {ACTION_LABEL[action]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="font-medium">Outcome</span>
        <select name="outcome" defaultValue={values.outcome} className={FIELD}>
          <option value="">Any outcome</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {OUTCOME_LABEL[outcome]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="font-medium">From (UTC)</span>
        <input type="datetime-local" name="from" defaultValue={values.from} className={FIELD} />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="font-medium">Before (UTC)</span>
        <input type="datetime-local" name="to" defaultValue={values.to} className={FIELD} />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="font-medium">Per page</span>
        <select name="limit" defaultValue={String(values.limit)} className={FIELD}>
          {pageSizes(values.limit).map((size) => (
            <option key={size} value={size}>
              {size} entries
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonClass.primary}>
        Apply filters
      </button>
      <Link
        href="/audit"
        className="px-1 py-1.5 font-medium text-sky-800 underline underline-offset-2 dark:text-sky-300"
      >
        Clear
      </Link>
    </Form>
  );
}
