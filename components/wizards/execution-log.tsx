'use client';
// The bootstrapper's output as the console runs it: lines arrive over Server-Sent Events
// (…/execution/events; a reconnect resumes after the last line), then the exit code and outcome.

import { useEffect, useState } from 'react';
import type { ExecutionLine } from '@/lib/domain/execution/types';
import { clusterUrl } from '@/lib/hooks/cluster-url';
import { formatDateTime } from '@/lib/format';
import { mutedClass } from '@/components/ui/styles';
import type { ExecutionSummary } from './wizard-api';

const LEVEL_CLASS: Record<string, string> = {
  fatal: 'text-red-300',
  error: 'text-red-300',
  warn: 'text-amber-200',
};

export function ExecutionLog({
  runId,
  initialLines,
  initial,
  onEnd,
}: {
  runId: string;
  initialLines: ExecutionLine[];
  initial: ExecutionSummary;
  /** Called once the execution has ended (the run moves on: read it again). */
  onEnd: () => void;
}) {
  const [lines, setLines] = useState<ExecutionLine[]>(initialLines);
  const [execution, setExecution] = useState<ExecutionSummary>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const finished = ['exited', 'refused', 'failed-to-start', 'unknown'].includes(execution.status);
  useEffect(() => {
    if (finished) return;
    const source = new EventSource(
      clusterUrl(`/api/wizards/runs/${encodeURIComponent(runId)}/execution/events`),
    );
    source.addEventListener('line', (event) => {
      const line = JSON.parse((event as MessageEvent<string>).data) as ExecutionLine;
      setLines((shown) => (shown.some((l) => l.seq === line.seq) ? shown : [...shown, line]));
    });
    source.addEventListener('state', (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as ExecutionSummary | null;
      if (next) setExecution(next);
    });
    source.addEventListener('failure', (event) => {
      const { message } = JSON.parse((event as MessageEvent<string>).data) as { message: string };
      setProblem(`The console could not read the step’s progress: ${message}`);
      source.close();
    });
    source.addEventListener('end', (event) => {
      setExecution(JSON.parse((event as MessageEvent<string>).data) as ExecutionSummary);
      source.close();
      onEnd();
    });
    return () => source.close();
  }, [runId, finished, onEnd]);

  return (
    <section
      aria-labelledby="execution-log-title"
      className="flex flex-col gap-2"
      data-testid="execution-log"
    >
      <h3 id="execution-log-title" className="text-base font-semibold">
        {finished ? 'What the bootstrapper printed' : 'The bootstrapper is running'}
      </h3>
      <p className={mutedClass}>
        {execution.argvPublic[0] ?? execution.kind} on{' '}
        <strong>{execution.node ?? 'a node UCP picks'}</strong> with{' '}
        <code>{execution.imageRef}</code>
        {execution.startedAt && (
          <>
            , started{' '}
            <time dateTime={execution.startedAt}>{formatDateTime(execution.startedAt)}</time>
          </>
        )}{' '}
        by {execution.actor}.
      </p>
      <div
        role="log"
        aria-live="polite"
        aria-label="Bootstrapper output"
        tabIndex={0}
        className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100"
      >
        <ol>
          {lines.length === 0 && <li className="text-slate-400">Waiting for the first line…</li>}
          {lines.map((line) => (
            <li
              key={line.seq}
              className={`whitespace-pre-wrap ${LEVEL_CLASS[line.level ?? ''] ?? ''}`}
            >
              {line.text}
            </li>
          ))}
        </ol>
      </div>
      {problem && (
        <p role="alert" className="text-sm font-medium">
          {problem} Reload the page to try again.
        </p>
      )}
      <p role="status" data-testid="execution-outcome" className="text-sm font-medium">
        {finished ? execution.outcome : 'Running… the output above updates as the tool prints.'}
      </p>
    </section>
  );
}
