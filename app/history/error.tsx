'use client';

import Link from 'next/link';
import { useEffect } from 'react';

export default function HistoryError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest =
    typeof error === 'object' &&
    error !== null &&
    'digest' in error &&
    typeof error.digest === 'string'
      ? error.digest
      : null;

  return (
    <div
      role="alert"
      className="mx-auto flex max-w-xl flex-col gap-3 rounded-lg border-l-4 border-red-600 bg-red-50 p-6 text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-50"
    >
      <h1 className="text-xl font-bold">History could not be read</h1>
      <p>
        The console could not read its history database. Live status on the overview is not
        affected; the console&apos;s server log says what went wrong (for example a full disk or a
        DATABASE_URL it cannot open).
      </p>
      {digest && (
        <p className="text-sm">
          Reference for the server log: <code className="font-mono">{digest}</code>
        </p>
      )}
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          onClick={() => retry()}
          className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 dark:focus-visible:outline-red-300"
        >
          Try again
        </button>
        <Link
          href="/"
          className="rounded-md px-3 py-1.5 text-sm font-semibold underline underline-offset-2"
        >
          Back to the overview
        </Link>
      </div>
    </div>
  );
}
