'use client';

import { WarningList } from '@/components/warnings/warning-list';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';

export function LiveWarnings() {
  const { status } = useClusterStatus();
  return status ? <WarningList warnings={status.warnings} /> : null;
}
