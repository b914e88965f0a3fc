import { StatusIcon } from './status-icon';
import { badgeTone, type Tone } from './tone';

/** A state in colour, icon and words. */
export function Badge({
  tone,
  icon = true,
  children,
}: {
  tone: Tone;
  icon?: boolean;
  children: React.ReactNode;
}) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${badgeTone[tone]}`}
    >
      {icon && <StatusIcon tone={tone} className="size-3.5" />}
      {children}
    </span>
  );
}
