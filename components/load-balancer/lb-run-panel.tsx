import type { LbConfigFile } from '@/lib/domain/lb/generate';
import type { LbKind } from '@/lib/domain/lb/options';
import { CodeBlock } from '@/components/ui/code-block';

/** Which versions the file is for, and the command that starts it (the DTR document's docker run). */
export function LbRunPanel({ file }: { file: LbConfigFile }) {
  return (
    <section
      aria-labelledby="lb-run-heading"
      data-testid="lb-run"
      className="flex min-w-0 flex-col gap-2"
    >
      <h2 id="lb-run-heading" className="text-lg font-semibold">
        Versions and how to run it
      </h2>
      <p data-testid="lb-versions" className="text-sm text-slate-700 dark:text-slate-300">
        {file.versions}
      </p>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {file.run.summary} Save the file below as <code className="font-mono">{file.filename}</code>{' '}
        in the directory you run this from.
      </p>
      <div data-testid="lb-run-command">
        <CodeBlock code={file.run.command} label="Copy run command" />
      </div>
    </section>
  );
}

/** Why the health check asks for /_ping, and not the /health some samples use. */
export function PingNote({ kind }: { kind: LbKind }) {
  return (
    <section
      aria-labelledby="lb-ping-heading"
      data-testid="lb-ping-note"
      className="flex max-w-3xl flex-col gap-1 text-sm text-slate-700 dark:text-slate-300"
    >
      <h2
        id="lb-ping-heading"
        className="text-base font-semibold text-slate-900 dark:text-slate-100"
      >
        Why <code className="font-mono">/_ping</code>
      </h2>
      <p>
        Every DTR replica answers <code className="font-mono">GET /_ping</code> without
        authentication with its own health: HTTP 200 and{' '}
        <code className="font-mono">{'{"Healthy": true}'}</code> while it is healthy, HTTP 503 with
        the failing part (registry, garant, rethinkdb, notary) named in{' '}
        <code className="font-mono">Error</code> when it is not. So a replica whose database or
        registry fails leaves the pool even while its port still accepts connections; DTR’s
        load-balancer documentation names this endpoint for that purpose.
      </p>
      <p>
        Some samples check <code className="font-mono">/health</code> instead: that is the older
        name (DTR 2.4 and earlier) of the same per-replica check, still served, so it works too; the
        console uses the current one.
        {kind === 'nginx' &&
          ' Open-source NGINX cannot send health checks in stream mode, so this file does not use either: NGINX only notices refused or timed-out connections.'}
      </p>
    </section>
  );
}
