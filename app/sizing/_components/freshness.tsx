'use client';

import { createContext, useContext, useState } from 'react';
import type { PlanFreshness } from '@/lib/domain/sizing/form';

const CURRENT: PlanFreshness = { state: 'current', refused: [], summary: '' };

const FreshnessContext = createContext<{
  freshness: PlanFreshness;
  setFreshness: (freshness: PlanFreshness) => void;
}>({ freshness: CURRENT, setFreshness: () => {} });

/** Whether the plan on screen is the plan for what the form says: the form writes it, the plan and its exports read it. */
export function FreshnessProvider({ children }: { children: React.ReactNode }) {
  const [freshness, setFreshness] = useState<PlanFreshness>(CURRENT);
  return <FreshnessContext value={{ freshness, setFreshness }}>{children}</FreshnessContext>;
}

export function useFreshness() {
  return useContext(FreshnessContext);
}

/**
 * The plan's sections. While a field is refused they are dimmed under a notice that names the
 * input they are for, so the last valid plan never reads as the plan for what the form shows.
 */
export function PlanArea({ children }: { children: React.ReactNode }) {
  const { freshness } = useFreshness();
  const stale = freshness.state === 'stale';
  return (
    <div
      className="flex min-w-0 flex-col gap-4"
      data-testid="plan-area"
      data-freshness={freshness.state}
      aria-busy={freshness.state === 'updating' || undefined}
    >
      {stale && (
        <div
          role="status"
          data-testid="plan-stale"
          className="sticky top-0 z-10 rounded-lg border-2 border-orange-600 bg-orange-50 p-3 text-sm font-medium text-orange-950 shadow-sm dark:border-orange-400 dark:bg-orange-950 dark:text-orange-50 print:static"
        >
          <p className="font-semibold">Not the plan for the values in the form</p>
          <p>{freshness.summary}</p>
        </div>
      )}
      <div
        className={`flex min-w-0 flex-col gap-8 transition-opacity ${stale ? 'opacity-45 saturate-50' : ''}`}
        data-testid="plan-sections"
        data-stale={stale || undefined}
      >
        {children}
      </div>
    </div>
  );
}
