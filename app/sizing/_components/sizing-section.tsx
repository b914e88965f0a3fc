import { PageSection } from '@/components/ui/page-section';

/** One titled region of the sizing page (kept together when printed). */
export function SizingSection({
  id,
  className = '',
  ...props
}: Omit<React.ComponentProps<typeof PageSection>, 'testId'>) {
  return (
    <PageSection
      id={id}
      testId={`section-${id}`}
      className={`break-inside-avoid ${className}`}
      {...props}
    />
  );
}

/** The one-line reason under an output. */
export function Why({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <p data-testid={testId} className="text-sm text-slate-700 dark:text-slate-300">
      <span className="font-semibold">Why: </span>
      {children}
    </p>
  );
}
