import Link from 'next/link';
import { UserMenu } from '@/components/auth/user-menu';
import { MainNav } from './main-nav';
import { ModeBadge } from './mode-badge';

export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 print:hidden">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <div className="flex items-center gap-3">
          <Link
            href="/"
            className="text-lg font-bold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:focus-visible:outline-sky-400"
          >
            DTR HA Console
          </Link>
          <ModeBadge />
        </div>
        <MainNav />
        <UserMenu />
      </div>
    </header>
  );
}
