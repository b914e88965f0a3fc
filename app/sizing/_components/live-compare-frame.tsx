import { SizingSection } from './sizing-section';

/** The "Plan vs running cluster" section around whatever the comparison has to say. */
export function LiveCompareFrame({
  state,
  matches,
  children,
}: {
  state: 'loading' | 'error' | 'ready';
  matches?: boolean;
  children: React.ReactNode;
}) {
  return (
    <SizingSection
      id="compare"
      title="Plan vs running cluster"
      description="Change one member at a time; remove broken members before joining new ones."
    >
      <div
        data-testid="live-compare"
        data-state={state}
        data-matches={matches}
        className="flex flex-col gap-3"
      >
        {children}
      </div>
    </SizingSection>
  );
}

/** One sentence while the comparison cannot be shown yet, or why it cannot be shown. */
export function LiveCompareNote({ children }: { children: React.ReactNode }) {
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300" role="status">
      {children}
    </p>
  );
}
