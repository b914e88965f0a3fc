import { CopyButton } from '@/components/ui/copy-button';

const FINGERPRINT = /sha256 Fingerprint=((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/;

/**
 * The generated command with a copy button; `command-text` holds exactly what is copied (long
 * commands come wrapped with ` \` continuations, so the text shown is the text that runs).
 */
export function CommandBlock({
  command,
  testId = 'command-text',
}: {
  command: string;
  testId?: string;
}) {
  const fingerprint = FINGERPRINT.exec(command)?.[1] ?? null;
  const unverifiedDownload = /curl -fsSk /.test(command) && fingerprint === null;
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div
        data-testid="code-block"
        className="min-w-0 overflow-hidden rounded-md border border-slate-300 bg-slate-900 text-slate-50 dark:border-slate-700 dark:bg-black"
      >
        <div className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
          <span>Command — it prompts for the UCP password</span>
          <CopyButton text={command} label="Copy the command" />
        </div>
        {/* Focusable: a long command scrolls sideways, and the keyboard must be able to scroll it. */}
        <pre tabIndex={0} className="overflow-x-auto p-3 font-mono text-sm leading-relaxed">
          <code data-testid={testId}>{command}</code>
        </pre>
      </div>
      {fingerprint && (
        <p className="text-sm" data-testid="ca-fingerprint">
          The command downloads UCP’s CA and runs the tool only if its SHA-256 fingerprint is the
          one of the CA this console verified (UCP_CA_FILE):{' '}
          <span className="font-mono text-xs break-all">{fingerprint}</span>. If it stops without
          output, the CA it got is not that one: do not go on.
        </p>
      )}
      {unverifiedDownload && (
        <p className="text-sm" data-testid="ca-unverified">
          The CA download does not verify UCP’s certificate (the console has no UCP_CA_FILE to
          compare with). Before you run it, compare the CA’s fingerprint (
          <code className="font-mono text-xs">
            openssl x509 -in ucp-ca.pem -noout -fingerprint -sha256
          </code>
          ) with the one UCP shows, or give the console UCP_CA_FILE.
        </p>
      )}
    </div>
  );
}
