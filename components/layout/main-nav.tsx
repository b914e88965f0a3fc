'use client';

import Link from '@/components/ui/cluster-link';
import { usePathname } from 'next/navigation';
import { useAuth } from '@/components/auth/user-context';
import { splitClusterPath } from '@/lib/domain/cluster-path';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/nodes', label: 'Nodes' },
  { href: '/caches', label: 'Caches' },
  { href: '/history', label: 'History' },
  { href: '/sizing', label: 'Sizing' },
  { href: '/replicas', label: 'Replicas' },
  { href: '/load-balancer', label: 'Load balancer' },
  { href: '/alerts', label: 'Alerts' },
] as const;

const ADMIN_LINKS = [{ href: '/audit', label: 'Audit' }] as const;

export function MainNav() {
  // Under /c/<name>/… the cluster's own path decides which link is current.
  const pathname = splitClusterPath(usePathname()).rest;
  const { user } = useAuth();
  const links = user?.isAdmin ? [...LINKS, ...ADMIN_LINKS] : LINKS;
  return (
    <nav aria-label="Main">
      <ul className="flex flex-col gap-1 text-sm md:flex-row md:flex-wrap">
        {links.map(({ href, label }) => {
          const current = href === '/' ? pathname === '/' : pathname.startsWith(href);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? 'page' : undefined}
                className={`block rounded-md px-2.5 py-1.5 font-medium ${
                  current
                    ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'
                    : 'text-slate-700 hover:bg-slate-200 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white'
                }`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
