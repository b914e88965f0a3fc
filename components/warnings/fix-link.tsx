import Link from '@/components/ui/cluster-link';

/** The link from a warning (or one rung of its advice) to the wizard that carries it out. */
export function FixLink({ href, className = '' }: { href: string; className?: string }) {
  return (
    <p>
      <Link
        href={href}
        className={`font-semibold underline underline-offset-2 focus-visible:outline-current ${className}`}
      >
        Open the guided fix<span aria-hidden="true"> →</span>
      </Link>
    </p>
  );
}
