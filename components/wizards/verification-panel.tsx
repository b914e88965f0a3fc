'use client';

import type { Verification } from '@/lib/domain/wizards/verify';
import { formatDuration } from '@/lib/format';
import { useNow } from '@/lib/hooks/use-now';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone, type Tone } from '@/components/ui/tone';

const TONE: Record<Verification['state'], Tone> = { waiting: 'info', done: 'ok', failed: 'bad' };
const HEADING: Record<Verification['state'], string> = {
  waiting: 'Watching the cluster…',
  done: 'Verified',
  failed: 'Not verified',
};

/** What the console waits for, how long it has waited, and the outcome. */
export function VerificationPanel({
  verification,
  since,
  timeoutMs,
  appliesAt,
}: {
  verification: Verification;
  since: string;
  timeoutMs: number;
  /** Demo only: when the demo cluster applies the change. */
  appliesAt?: string | null;
}) {
  const started = Date.parse(since);
  const now = useNow(started);
  const tone = TONE[verification.state];
  const elapsed = Math.max(0, now - started);
  return (
    <div
      data-testid="verification"
      data-state={verification.state}
      className={`flex flex-col gap-3 rounded-lg border-l-4 p-4 ${panelTone[tone]}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="flex items-center gap-2 font-semibold">
          <StatusIcon tone={tone} />
          {HEADING[verification.state]}
        </p>
        {verification.state === 'waiting' && (
          <p className="text-sm tabular-nums" data-testid="verification-elapsed">
            {formatDuration(elapsed)} of up to {formatDuration(timeoutMs)}
          </p>
        )}
      </div>
      <p role="status" aria-live="polite" className="text-sm" data-testid="verification-message">
        {verification.message}
      </p>
      {verification.state === 'waiting' && appliesAt && Date.parse(appliesAt) > now && (
        <p className="text-sm">
          The demo cluster applies the change in {formatDuration(Date.parse(appliesAt) - now)}, as
          the real tool takes a while.
        </p>
      )}
      {verification.checks.length > 0 && (
        <ul className="flex flex-col gap-1 text-sm" aria-label="Checks">
          {verification.checks.map((check) => (
            <li key={check.label} className="flex items-start gap-2" data-done={check.done}>
              <span aria-hidden="true" className="w-4 shrink-0 text-center font-bold">
                {check.done ? '✓' : '…'}
              </span>
              <span>
                <span className="sr-only">{check.done ? 'Done: ' : 'Waiting: '}</span>
                {check.label}
              </span>
            </li>
          ))}
        </ul>
      )}
      {verification.state === 'failed' && verification.nextSteps.length > 0 && (
        <div className="text-sm">
          <p className="font-semibold">What to do now</p>
          <ul className="list-disc pl-5">
            {verification.nextSteps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
