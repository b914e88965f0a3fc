'use client';

import { CopyButton } from '@/components/ui/copy-button';
import type { LbConfigFile } from '@/lib/domain/lb/generate';
import { buttonClass } from '@/components/ui/styles';
import { StrokeIcon } from '@/components/ui/stroke-icon';

function download(file: Pick<LbConfigFile, 'text' | 'filename' | 'contentType'>): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.contentType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = file.filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoke after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The generated file as it will be saved, with copy and download. */
export function ConfigBlock({ file }: { file: LbConfigFile }) {
  return (
    <div className="min-w-0 overflow-hidden rounded-md border border-slate-300 bg-slate-900 text-slate-50 dark:border-slate-700 dark:bg-black">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
        <span className="font-mono" data-testid="lb-config-filename">
          {file.filename}
        </span>
        <div className="flex items-center gap-2">
          <CopyButton text={file.text} label={`Copy ${file.filename}`} />
          <button
            type="button"
            data-testid="lb-download"
            onClick={() => download(file)}
            className={buttonClass.code}
          >
            <StrokeIcon>
              <path d="M12 4v11m0 0-4-4m4 4 4-4M5 19h14" />
            </StrokeIcon>
            Download
          </button>
        </div>
      </div>
      <pre
        data-testid="lb-config-text"
        tabIndex={0}
        aria-label={`Generated ${file.filename}`}
        className="overflow-x-auto p-3 font-mono text-xs leading-relaxed"
      >
        <code>{file.text}</code>
      </pre>
    </div>
  );
}
