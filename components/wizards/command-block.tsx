import { CopyButton } from '@/components/ui/copy-button';

/** The generated command with a copy button; `command-text` holds exactly what is copied. */
export function CommandBlock({
  command,
  testId = 'command-text',
}: {
  command: string;
  testId?: string;
}) {
  return (
    <div className="min-w-0 overflow-hidden rounded-md border border-slate-300 bg-slate-900 text-slate-50 dark:border-slate-700 dark:bg-black">
      <div className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
        <span>Command — it prompts for the UCP password</span>
        <CopyButton text={command} label="Copy the command" />
      </div>
      <pre className="overflow-x-auto p-3 font-mono text-sm leading-relaxed">
        <code data-testid={testId}>{command}</code>
      </pre>
    </div>
  );
}
