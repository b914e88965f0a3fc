import type { Metadata } from 'next';
import Link from '@/components/ui/cluster-link';
import { AuditQuerySchema } from '@/lib/auth/audit';
import { pageRuntime } from '@/lib/server/cluster-request';
import { requireUser } from '@/lib/server/current-user';
import { describeZodError } from '@/lib/http/errors';
import { plural } from '@/lib/format';
import { AuditFilters, type FilterDefaults } from './_components/audit-filters';
import { AuditPager } from './_components/audit-pager';
import { AuditTable } from './_components/audit-table';
import { filterValues, inputTime, type SearchParams } from './_components/audit-url';

export const metadata: Metadata = { title: 'Audit log' };

function Heading() {
  return <h1 className="text-2xl font-bold tracking-tight">Audit log</h1>;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser('/audit');
  if (!user.isAdmin) {
    return (
      <section className="flex max-w-prose flex-col gap-3">
        <Heading />
        <p data-testid="audit-admins-only">
          The audit log is for UCP administrators: it names who signed in, from which address, and
          what they changed. Your account ({user.username}) can read the cluster but not this log;
          ask a UCP administrator if you need an entry from it.
        </p>
        <p>
          <Link href="/" className="font-medium text-sky-800 underline dark:text-sky-300">
            Back to the overview
          </Link>
        </p>
      </section>
    );
  }

  const filters = filterValues(await searchParams);
  const parsed = AuditQuerySchema.safeParse(filters);
  const query = parsed.success ? parsed.data : null;
  const defaults: FilterDefaults = {
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    outcome: filters.outcome ?? '',
    from: inputTime(query?.from) || (filters.from ?? ''),
    to: inputTime(query?.to) || (filters.to ?? ''),
    limit: query?.limit ?? 50,
  };
  const runtime = await pageRuntime();
  const page = query ? await runtime.audit.query(query) : null;
  const filtered = Boolean(
    filters.actor || filters.action || filters.outcome || filters.from || filters.to,
  );

  return (
    <section className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <Heading />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Sign-ins, refusals, demo faults and wizard commands: who, when (UTC) and from where.
          Newest first; the filters are in the address, so a view can be shared as a link.
        </p>
      </div>
      <AuditFilters values={defaults} />
      {!parsed.success && (
        <p
          role="alert"
          data-testid="audit-filter-error"
          className="rounded-md border-l-4 border-amber-500 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
        >
          These filters cannot be read: {describeZodError(parsed.error)}.
        </p>
      )}
      {page && page.events.length === 0 && (
        <p data-testid="audit-empty">
          {filtered ? 'Nothing recorded matches these filters.' : 'Nothing recorded yet.'}
        </p>
      )}
      {page && page.events.length > 0 && (
        <>
          <p className="text-sm" data-testid="audit-count" role="status">
            {plural(page.events.length, 'entry', 'entries')}
            {filtered ? ' matching the filters' : ''}
            {page.older ? ', more on older pages' : ''}.
          </p>
          <AuditTable events={page.events} fleet={runtime.fleet.multi} />
        </>
      )}
      {page && <AuditPager page={page} filters={filters} />}
    </section>
  );
}
