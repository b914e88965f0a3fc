import { PageSection } from './page-section';
import { WideTable } from '@/components/ui/wide-table';

/** A titled chart with its text summary, and a table for those who cannot see the chart. */
export function ChartFigure({
  id,
  title,
  description,
  summary,
  table,
  children,
}: {
  id: string;
  title: string;
  description: string;
  summary: string;
  table: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <PageSection
      id={id}
      title={title}
      description={description}
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <figure className="flex min-w-0 flex-col gap-2">
        {children}
        <figcaption className="text-sm" data-testid={`${id}-summary`}>
          {summary}
        </figcaption>
      </figure>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-sky-800 dark:text-sky-300">
          Show the data as a table
        </summary>
        <div className="mt-2">
          <WideTable label={`${title}: data`}>{table}</WideTable>
        </div>
      </details>
    </PageSection>
  );
}
