import Link from '@/components/ui/cluster-link';
import { linkClass } from '@/components/ui/styles';

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-3 py-10">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="text-slate-700 dark:text-slate-300">
        There is no page at this address in the console (some sections are still being built).
      </p>
      <p>
        <Link href="/" className={linkClass.strong}>
          Back to the overview
        </Link>
      </p>
    </div>
  );
}
