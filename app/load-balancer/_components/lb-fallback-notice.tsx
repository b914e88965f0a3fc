import Link from 'next/link';
import type { LbParamProblem } from '@/components/load-balancer/lb-params';
import { StatusIcon } from '@/components/ui/status-icon';

/** Says which settings in the link were not understood and that defaults stand in for them. */
export function LbFallbackNotice({ problems }: { problems: LbParamProblem[] }) {
  return (
    <div
      role="status"
      data-testid="lb-fallback-notice"
      data-fields={problems.map((p) => p.param).join(' ')}
      className="flex gap-3 rounded-lg border-l-4 border-amber-500 bg-amber-50 p-4 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
    >
      <StatusIcon tone="warn" className="mt-0.5 size-5" />
      <div className="flex flex-col gap-2">
        <p className="font-semibold">
          Some settings in this link were not understood; the config uses defaults for them.
        </p>
        <ul className="list-disc pl-5 text-sm">
          {problems.map((problem) => (
            <li key={problem.param}>
              <code className="font-mono">{problem.param}</code> = “{problem.value}”:{' '}
              {problem.message}
            </li>
          ))}
        </ul>
        <p className="text-sm">
          Change any setting to rewrite the link, or{' '}
          <Link
            href="/load-balancer"
            className="font-semibold underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2"
          >
            start from the defaults
          </Link>
          .
        </p>
      </div>
    </div>
  );
}
