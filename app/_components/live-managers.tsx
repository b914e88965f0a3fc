'use client';

import { ManagerList } from '@/components/managers/manager-list';
import { useLiveStatus } from './use-live-status';

export function LiveManagers() {
  const { status, now } = useLiveStatus();
  return status ? <ManagerList nodes={status.ucp.nodes} now={now} /> : null;
}
