'use client';

import Link from 'next/link';
import { useEffect } from 'react';

export default function ReplicasError({ error, retry }: { error: unknown; retry: () => void }) {
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
      <h1 className="text-xl font-bold">The replica wizards hit an error</h1>
      <p>
        Nothing was changed in the cluster by this error: commands only run when you run them. The
        console may still be starting, or its store may be unreachable; the server log has the
        details.
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
