'use client';

import { useEffect } from 'react';

export default function CachesError({ error, retry }: { error: unknown; retry: () => void }) {
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
      <h1 className="text-xl font-bold">The content caches could not be shown</h1>
      <p>
        Something failed while reading or drawing the cache list. This says nothing about the
        cluster itself: the monitor may still be starting, or the console&apos;s server hit an
        error.
      </p>
      {digest && (
        <p className="text-sm">
          Reference for the server log: <code className="font-mono">{digest}</code>
        </p>
      )}
      <div>
        <button
          type="button"
          onClick={() => retry()}
          className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 dark:focus-visible:outline-red-300"
        >
          Try again
        </button>
      </div>
    </div>
  );
}
