// Reading an execution: its record and lines (GET …/execution), and the live stream of both
// (GET …/execution/events, Server-Sent Events). Lines are read from the store, so a page served
// by any console of several sees the lines the running console writes.
import 'server-only';
import { confirmationFor } from '@/lib/domain/execution';
import type { ExecutionLine, ExecutionRecord } from '@/lib/domain/execution/types';
import type { Runtime } from '../../runtime';
import { readState, WizardRequestError } from '../wizards/shared';
import { executionView, requireExecution, type ExecutionView } from './execute';
import { recoverExecutions } from './recovery';

/** Statuses after which an execution's lines no longer grow. */
const FINISHED: ReadonlySet<ExecutionRecord['status']> = new Set([
  'exited',
  'refused',
  'failed-to-start',
  'unknown',
]);

export interface ExecutionDocument {
  /** Where this console runs steps, for the panel: "the Docker API at …". */
  where: string;
  /** What the person must type to confirm, if anything. */
  confirmation: { required: boolean; expected: string; prompt: string };
  /** The run's latest execution, or null before the first. */
  execution: ExecutionView | null;
  lines: ExecutionLine[];
}

const ORPHAN_LOOK_EVERY_MS = 2_000;
const lastLook = new WeakMap<Runtime, number>();

function lookAgain(runtime: Runtime): boolean {
  const now = Date.now();
  if (now - (lastLook.get(runtime) ?? 0) < ORPHAN_LOOK_EVERY_MS) return false;
  lastLook.set(runtime, now);
  return true;
}

async function latestFor(runtime: Runtime, runId: string): Promise<ExecutionRecord | null> {
  return (await runtime.store.executions.forRun(runId))[0] ?? null;
}

export async function getExecution(
  runtime: Runtime,
  runId: string,
  afterSeq = 0,
): Promise<ExecutionDocument> {
  const context = requireExecution(runtime);
  const run = await runtime.wizardRuns.get(runId);
  if (!run) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${runId}.`);
  let execution = await latestFor(runtime, runId);
  // An executing run whose console may have stopped, or an orphaned execution whose container
  // still ran when first looked at: look (at most every few seconds, as streams read often), so
  // a lost console is noticed and the exit code and log are kept once the container has ended.
  if ((run.status === 'executing' || execution?.status === 'orphaned') && lookAgain(runtime)) {
    await recoverExecutions(runtime).catch(() => undefined);
    execution = await latestFor(runtime, runId);
  }
  return {
    where: context.driver.where,
    confirmation: confirmationFor(readState(run)),
    execution: execution ? executionView(execution) : null,
    lines: execution ? await runtime.store.executions.lines(execution.id, afterSeq) : [],
  };
}

const encoder = new TextEncoder();
const frame = (name: string, data: unknown, id?: number) =>
  encoder.encode(
    `${id !== undefined ? `id: ${id}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`,
  );

/**
 * `line` events (id = the line's seq, so a reconnect resumes after Last-Event-ID), `state` when the
 * record changes, `end` once it has finished and every line was sent, `failure` (and the stream
 * closes) when the console cannot read it. A comment every 15 s keeps proxies from closing a
 * quiet stream.
 */
export function executionStream(
  runtime: Runtime,
  runId: string,
  signal: AbortSignal,
  lastEventId: string | null,
  { everyMs = 250 }: { everyMs?: number } = {},
): ReadableStream<Uint8Array> {
  requireExecution(runtime);
  let after = /^\d{1,9}$/.test(lastEventId ?? '') ? Number(lastEventId) : 0;
  let shown = '';
  let quietSince = Date.now();
  let timer: NodeJS.Timeout | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener('abort', close, { once: true });
      const tick = async () => {
        timer = null;
        if (signal.aborted) return;
        try {
          const document = await getExecution(runtime, runId, after);
          if (signal.aborted) return;
          const record = document.execution;
          for (const line of document.lines) {
            controller.enqueue(frame('line', line, line.seq));
            after = line.seq;
          }
          const text = JSON.stringify(record);
          const changed = text !== shown;
          if (changed) {
            shown = text;
            controller.enqueue(frame('state', record));
          }
          if (document.lines.length > 0 || changed) quietSince = Date.now();
          if (Date.now() - quietSince > 15_000) {
            controller.enqueue(encoder.encode(': keep-alive\n\n'));
            quietSince = Date.now();
          }
          // Finished, and the last read returned every line there is.
          if (record && FINISHED.has(record.status) && document.lines.length < 500) {
            controller.enqueue(frame('end', record));
            close();
            return;
          }
        } catch (error) {
          // Not `error`: EventSource gives that name to its own connection errors.
          try {
            controller.enqueue(
              frame('failure', { message: error instanceof Error ? error.message : String(error) }),
            );
          } catch {
            // the stream closed meanwhile
          }
          close();
          return;
        }
        if (!signal.aborted) timer = setTimeout(() => void tick(), everyMs);
      };
      void tick();
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  });
}
