import Link from '@/components/ui/cluster-link';
import type { AuditPage } from '@/lib/auth/audit';
import { auditHref } from './audit-url';

const LINK =
  'rounded-md px-2.5 py-1.5 font-medium ring-1 ring-slate-300 ring-inset hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800';

/** Newest / newer / older: cursor links that keep the filters. */
export function AuditPager({
  page,
  filters,
}: {
  page: AuditPage;
  filters: Record<string, string>;
}) {
  const paged = Boolean(filters.before || filters.after);
  if (!paged && !page.older) return null;
  return (
    <nav aria-label="Audit log pages" className="flex flex-wrap gap-2 text-sm">
      {paged && (
        <Link href={auditHref(filters)} className={LINK} data-testid="audit-newest">
          Newest
        </Link>
      )}
      {page.newer && (
        <Link
          href={auditHref(filters, { after: page.newer })}
          className={LINK}
          data-testid="audit-newer"
        >
          ← Newer entries
        </Link>
      )}
      {page.older && (
        <Link
          href={auditHref(filters, { before: page.older })}
          className={LINK}
          data-testid="audit-older"
        >
          Older entries →
        </Link>
      )}
    </nav>
  );
}
