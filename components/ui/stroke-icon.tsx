/** A small line icon (24 × 24, current colour, hidden from screen readers): pass its paths. */
export function StrokeIcon({
  children,
  className = 'size-3.5',
  ...rest
}: {
  children: React.ReactNode;
  className?: string;
} & Omit<React.SVGProps<SVGSVGElement>, 'ref'>) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      aria-hidden="true"
      className={className}
      {...rest}
    >
      {children}
    </svg>
  );
}
