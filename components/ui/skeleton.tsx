// Loading placeholders: one grey block, and the frame every route's loading.tsx uses (a sentence
// for screen readers, the blocks hidden from them).
import type { ReactNode } from 'react';

/** A pulsing placeholder block; still where the user asks for reduced motion. */
export function Skeleton({ className }: { className: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
    />
  );
}

/** A page's loading state: `label` is read out ("Loading the node inventory…"), `children` shown. */
export function LoadingFrame({
  label,
  className = 'flex flex-col gap-6',
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <p role="status" className="sr-only">
        {label}
      </p>
      {/* display: contents, so the blocks are laid out by the frame's own classes. */}
      <div aria-hidden="true" className="contents">
        {children}
      </div>
    </div>
  );
}
