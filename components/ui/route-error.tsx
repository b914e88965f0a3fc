'use client';
// The one error-boundary body every route shares: what failed, that the cluster is not the
// problem, a reference for the server log, retry, and an optional way out.
import Link from '@/components/ui/cluster-link';
import { useEffect } from 'react';

export interface RouteErrorProps {
  error: unknown;
  retry: () => void;
  title: string;
  /** Where to go instead, e.g. the defaults of a page whose link failed. */
  escape?: { href: string; label: string };
  children: React.ReactNode;
}

function digestOf(error: unknown): string | null {
  return typeof error === 'object' &&
    error !== null &&
    'digest' in error &&
    typeof error.digest === 'string'
    ? error.digest
    : null;
}

export function RouteError({ error, retry, title, escape, children }: RouteErrorProps) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = digestOf(error);

  return (
    <div
      role="alert"
      className="mx-auto flex max-w-xl flex-col gap-3 rounded-lg border-l-4 border-red-600 bg-red-50 p-6 text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-50"
    >
      <h1 className="text-xl font-bold">{title}</h1>
      <p>{children}</p>
      {digest && (
        <p className="text-sm">
          Reference for the server log: <code className="font-mono">{digest}</code>
        </p>
      )}
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          onClick={() => retry()}
          className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 focus-visible:outline-red-700 dark:focus-visible:outline-red-300"
        >
          Try again
        </button>
        {escape && (
          <Link
            href={escape.href}
            className="rounded-md px-3 py-1.5 text-sm font-semibold underline underline-offset-2"
          >
            {escape.label}
          </Link>
        )}
      </div>
    </div>
  );
}
