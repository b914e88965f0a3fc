'use client';

import Link from '@/components/ui/cluster-link';
import { usePathname } from 'next/navigation';
import { useClusterName } from '@/lib/hooks/cluster-url';
import { useId, useState } from 'react';
import { UserMenu } from '@/components/auth/user-menu';
import { useAuth } from '@/components/auth/user-context';
import { StrokeIcon } from '@/components/ui/stroke-icon';
import { MainNav } from './main-nav';
import { ModeBadge } from './mode-badge';

function MenuIcon({ open }: { open: boolean }) {
  return (
    <StrokeIcon strokeLinecap="round" className="size-5">
      {open ? <path d="M6 6l12 12M18 6 6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
    </StrokeIcon>
  );
}

/**
 * One line on a phone (name, mode, a Menu button that opens the navigation and the account);
 * everything in one row from md up. Signed out, there is nowhere to go but sign-in: no links.
 */
export function SiteHeader({
  mode,
  clusters = [],
}: {
  mode: 'demo' | 'live';
  /** A fleet console's cluster names (more than one); empty for a one-cluster console. */
  clusters?: readonly string[];
}) {
  const { user, signInRequired } = useAuth();
  const pathname = usePathname();
  const fleet = clusters.length > 1;
  const cluster = useClusterName();
  const menuId = useId();
  const [open, setOpen] = useState(false);
  // Following a link closes the menu.
  const [openedOn, setOpenedOn] = useState(pathname);
  if (openedOn !== pathname) {
    setOpenedOn(pathname);
    setOpen(false);
  }
  const signedOut = signInRequired && !user;

  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 print:hidden">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2 sm:px-6 md:gap-x-6 md:py-3">
        <div className="flex min-w-0 items-center gap-2 sm:gap-3">
          {/* In a fleet, leaving a cluster is a whole page load: /c/<name>/x and /x are one
              route to the client router, which would keep the page it has for the other. */}
          {fleet ? (
            // eslint-disable-next-line @next/next/no-html-link-for-pages -- see the comment above
            <a href="/" className="text-base font-bold tracking-tight whitespace-nowrap sm:text-lg">
              DTR HA Console
            </a>
          ) : (
            <Link
              href="/"
              className="text-base font-bold tracking-tight whitespace-nowrap sm:text-lg"
            >
              DTR HA Console
            </Link>
          )}
          {/* Signed out, the console shows nothing about the cluster, its mode included. */}
          <ModeBadge mode={signedOut ? null : mode} />
          {fleet && cluster !== null && !signedOut && (
            <span
              data-testid="cluster-name"
              className="rounded-md border border-slate-400 px-2 py-0.5 font-mono text-sm font-semibold dark:border-slate-500"
            >
              <span className="sr-only">Cluster </span>
              {cluster}
            </span>
          )}
        </div>
        {signedOut ? (
          <div className="ml-auto">
            <UserMenu />
          </div>
        ) : (
          <>
            <button
              type="button"
              data-testid="menu-toggle"
              aria-expanded={open}
              aria-controls={menuId}
              onClick={() => setOpen((o) => !o)}
              className="ml-auto inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-medium hover:bg-slate-100 md:hidden dark:border-slate-700 dark:hover:bg-slate-800"
            >
              <MenuIcon open={open} />
              Menu
            </button>
            <div
              id={menuId}
              data-testid="site-menu"
              className={`${open ? 'flex' : 'hidden'} w-full flex-col gap-3 border-t border-slate-200 pt-2 pb-1 md:flex md:w-auto md:flex-1 md:flex-row md:flex-wrap md:items-center md:gap-x-6 md:border-0 md:p-0 dark:border-slate-800`}
            >
              {fleet && cluster === null ? null : <MainNav />}
              {fleet && cluster !== null && (
                // eslint-disable-next-line @next/next/no-html-link-for-pages -- a whole page load, as above
                <a
                  href="/"
                  data-testid="all-clusters"
                  className="text-sm font-medium text-sky-700 underline underline-offset-2 dark:text-sky-300"
                >
                  All clusters
                </a>
              )}
              <UserMenu />
            </div>
          </>
        )}
      </div>
    </header>
  );
}
