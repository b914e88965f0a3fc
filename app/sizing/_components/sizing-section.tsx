/** One titled region of the sizing page. */
export function SizingSection({
  id,
  title,
  description,
  className = '',
  children,
}: {
  id: string;
  title: string;
  description?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      data-testid={`section-${id}`}
      className={`flex min-w-0 break-inside-avoid flex-col gap-3 ${className}`}
    >
      <div>
        <h2 id={`${id}-heading`} className="text-lg font-semibold">
          {title}
        </h2>
        {description && <p className="text-sm text-slate-700 dark:text-slate-300">{description}</p>}
      </div>
      {children}
    </section>
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
