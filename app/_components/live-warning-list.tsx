'use client';

import { WarningList } from '@/components/warnings/warning-list';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';

/** The warnings, with their advice, commands and links (loaded only when there are some). */
export function LiveWarningList() {
  const { status } = useClusterStatus();
  return status ? <WarningList warnings={status.warnings} /> : null;
}
