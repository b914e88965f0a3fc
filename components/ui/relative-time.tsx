import type { Instant } from '@/lib/domain/types';
import { formatDateTime, formatRelative } from '@/lib/format';

/** "12 s ago", with the exact UTC time on hover and in `dateTime` for machines. */
export function RelativeTime({ time, now }: { time: Instant; now: number }) {
  return (
    <time dateTime={time} title={formatDateTime(time)}>
      {formatRelative(time, now)}
    </time>
  );
}
