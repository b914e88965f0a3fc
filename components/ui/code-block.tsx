import { CopyButton } from './copy-button';

/** A shell command to run as-is, with a copy button. */
export function CodeBlock({ code, label = 'Copy command' }: { code: string; label?: string }) {
  return (
    <div
      data-testid="code-block"
      className="min-w-0 overflow-hidden rounded-md border border-slate-300 bg-slate-900 text-slate-50 dark:border-slate-700 dark:bg-black"
    >
      <div className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
        <span>Command</span>
        <CopyButton text={code} label={label} />
      </div>
      {/* Focusable: a long command scrolls sideways, and the keyboard must be able to scroll it. */}
      <pre tabIndex={0} className="overflow-x-auto p-3 font-mono text-sm leading-relaxed">
        <code>{code}</code>
      </pre>
    </div>
  );
}
