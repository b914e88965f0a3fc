import { panelTone } from '@/components/ui/tone';

/** What the warnings panel says when there are none. */
export function NoWarnings() {
  return (
    <p
      data-testid="warnings-empty"
      className={`rounded-lg border-l-4 p-4 text-sm font-medium ${panelTone.ok}`}
    >
      No warnings. Everything the console checks is as designed.
    </p>
  );
}
