'use client';

import { RouteError } from '@/components/ui/route-error';

export default function HistoryError(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError
      {...props}
      title="History could not be read"
      escape={{ href: '/', label: 'Back to the overview' }}
    >
      The console could not read its history database. Live status on the overview is not affected;
      the console&apos;s server log says what went wrong (for example a full disk or a DATABASE_URL
      it cannot open).
    </RouteError>
  );
}
