'use client';

import { ManagerList } from '@/components/managers/manager-list';
import { useLiveStatus } from '@/lib/hooks/use-live-status';

export function LiveManagers() {
  const { status, now } = useLiveStatus();
  return status ? <ManagerList nodes={status.ucp.nodes} now={now} /> : null;
}
