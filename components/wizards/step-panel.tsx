'use client';

import { useEffect, useRef } from 'react';
import { cardClass } from '@/components/ui/styles';

/**
 * One step's content under a heading that takes the focus when the step changes, so keyboard
 * and screen-reader users land on the new step instead of a vanished button.
 */
export function StepPanel({
  step,
  title,
  description,
  children,
}: {
  step: string;
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (shown.current !== null && shown.current !== step) heading.current?.focus();
    shown.current = step;
  }, [step]);
  return (
    <section aria-labelledby={`step-${step}`} data-testid={`step-${step}`} className={cardClass}>
      <div className="flex flex-col gap-1">
        <h2
          id={`step-${step}`}
          ref={heading}
          tabIndex={-1}
          className="text-lg font-semibold focus:outline-none"
        >
          {title}
        </h2>
        {description && (
          <div className="text-sm text-slate-700 dark:text-slate-300">{description}</div>
        )}
      </div>
      {children}
    </section>
  );
}
