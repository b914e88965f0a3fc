import Link from '@/components/ui/cluster-link';
import { StatusIcon } from '@/components/ui/status-icon';

export interface LinkProblem {
  param: string;
  /** The text found in the URL (shortened). */
  value: string;
  message: string;
}

interface LinkFallbackNoticeProps {
  problems: LinkProblem[];
  testId: string;
  /** e.g. "Some values in this link were not understood; the plan uses defaults for them." */
  headline: string;
  /** What the user edits on the page: "input" or "setting". */
  fieldWord: string;
  /** The page without parameters. */
  defaultsHref: string;
}

/** Says which link parameters were not understood and that defaults stand in for them. */
export function LinkFallbackNotice({
  problems,
  testId,
  headline,
  fieldWord,
  defaultsHref,
}: LinkFallbackNoticeProps) {
  return (
    <div
      role="status"
      data-testid={testId}
      data-fields={problems.map((p) => p.param).join(' ')}
      className="flex gap-3 rounded-lg border-l-4 border-amber-500 bg-amber-50 p-4 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
    >
      <StatusIcon tone="warn" className="mt-0.5 size-5" />
      <div className="flex flex-col gap-2">
        <p className="font-semibold">{headline}</p>
        <ul className="list-disc pl-5 text-sm">
          {problems.map((problem) => (
            <li key={problem.param}>
              <code className="font-mono">{problem.param}</code> = “{problem.value}”:{' '}
              {problem.message}
            </li>
          ))}
        </ul>
        <p className="text-sm">
          Change any {fieldWord} to rewrite the link, or{' '}
          <Link href={defaultsHref} className="font-semibold underline underline-offset-2">
            start from the defaults
          </Link>
          .
        </p>
      </div>
    </div>
  );
}
