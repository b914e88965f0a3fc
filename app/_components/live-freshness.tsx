'use client';

import { ConnectionNotice } from '@/components/status/connection-notice';
import { Freshness } from '@/components/status/freshness';
import { LiveIndicator } from './live-indicator';
import { useLiveStatus } from '@/lib/hooks/use-live-status';

export function LiveFreshness() {
  const { status, error, now } = useLiveStatus();
  return (
    <div className="flex flex-col gap-2">
      {error && (
        <ConnectionNotice reason={error.message} dataFrom={status?.generatedAt ?? null} now={now} />
      )}
      <div className="flex flex-wrap items-start gap-x-3 gap-y-1">
        <LiveIndicator />
        {status && (
          <div className="min-w-0 flex-1">
            <Freshness status={status} now={now} />
          </div>
        )}
      </div>
    </div>
  );
}
