import Link from '@/components/ui/cluster-link';
import { linkClass } from '@/components/ui/styles';

export default function RunNotFound() {
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-3 py-10">
      <h1 className="text-2xl font-bold">No such replica change</h1>
      <p className="text-slate-700 dark:text-slate-300">
        The console has no wizard run at this address. Runs are kept in the console’s store; a
        console without persistent storage forgets them when it restarts.
      </p>
      <p>
        <Link href="/replicas" className={linkClass.strong}>
          See the recent replica changes
        </Link>
      </p>
    </div>
  );
}
