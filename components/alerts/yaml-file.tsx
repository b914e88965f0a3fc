import { CopyButton } from '@/components/ui/copy-button';
import { buttonClass } from '@/components/ui/styles';
import { StrokeIcon } from '@/components/ui/stroke-icon';

/** A generated YAML file: its name, copy, a download link to the route that serves it, the text. */
export function YamlFile({
  filename,
  text,
  href,
  testId,
}: {
  filename: string;
  text: string;
  /** The API route serving the same file as an attachment. */
  href: string;
  testId: string;
}) {
  return (
    <div
      data-testid={testId}
      className="min-w-0 overflow-hidden rounded-md border border-slate-300 bg-slate-900 text-slate-50 dark:border-slate-700 dark:bg-black"
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
        <span className="font-mono">{filename}</span>
        <div className="flex items-center gap-2">
          <CopyButton text={text} label={`Copy ${filename}`} />
          <a
            href={href}
            download={filename}
            data-testid={`${testId}-download`}
            className={buttonClass.code}
          >
            <StrokeIcon>
              <path d="M12 4v11m0 0-4-4m4 4 4-4M5 19h14" />
            </StrokeIcon>
            Download <span className="sr-only">{filename}</span>
          </a>
        </div>
      </div>
      {/* Focusable: a long line scrolls sideways, and the keyboard must be able to scroll it. */}
      <pre
        data-testid={`${testId}-text`}
        tabIndex={0}
        aria-label={`Generated ${filename}`}
        className="overflow-x-auto p-3 font-mono text-xs leading-relaxed focus-visible:outline-2 focus-visible:outline-sky-400"
      >
        <code>{text}</code>
      </pre>
    </div>
  );
}
