/** One titled region of a page: a heading (its accessible name), an optional line under it, content. */
export function PageSection({
  id,
  title,
  description,
  className = '',
  testId,
  children,
}: {
  /** The heading gets `${id}-heading`; the section is labelled by it. */
  id: string;
  title: string;
  description?: React.ReactNode;
  className?: string;
  testId?: string;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      data-testid={testId}
      className={`flex min-w-0 flex-col gap-3 ${className}`}
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
