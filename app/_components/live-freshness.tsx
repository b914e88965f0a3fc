'use client';

import { ConnectionNotice } from '@/components/status/connection-notice';
import { Freshness } from '@/components/status/freshness';
import { useLiveStatus } from './use-live-status';

export function LiveFreshness() {
  const { status, error, now } = useLiveStatus();
  return (
    <div className="flex flex-col gap-2">
      {error && (
        <ConnectionNotice reason={error.message} dataFrom={status?.generatedAt ?? null} now={now} />
      )}
      {status && <Freshness status={status} now={now} />}
    </div>
  );
}
