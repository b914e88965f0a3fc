'use client';
// The signed-in user and role in the header, with sign-out.
import Link from '@/components/ui/cluster-link';
import { useState } from 'react';
import { apiFetch } from '@/lib/hooks/api-fetch';
import { useAuth, type CurrentUser } from './user-context';

/** The role on the cluster shown; on a fleet's overview, the role on each cluster. */
function describeRole(user: CurrentUser): string {
  if (user.cluster === null) {
    const roles = Object.entries(user.roles).sort(([a], [b]) => a.localeCompare(b));
    if (roles.length > 1 && roles.some(([, role]) => role !== roles[0]![1]))
      return roles.map(([cluster, role]) => `${role} on ${cluster}`).join(' · ');
    return roles[0]?.[1] === 'admin' ? 'admin' : 'viewer (read-only)';
  }
  if (user.role === 'admin') return 'admin';
  if (user.role === 'viewer') return 'viewer (read-only)';
  return `no access to ${user.cluster}`;
}

export function UserMenu() {
  const { user, signInRequired } = useAuth();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!signInRequired) return null;
  if (!user) {
    return (
      <Link href="/login" className="text-sm font-medium text-sky-700 underline dark:text-sky-300">
        Sign in
      </Link>
    );
  }

  async function signOut() {
    setBusy(true);
    setProblem(null);
    try {
      await apiFetch('/api/auth/logout', { method: 'POST' });
      // A full page load, so no client cache keeps showing the signed-out user's data.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign('/login?reason=signed-out');
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm md:ml-auto" data-testid="user-menu">
      <span>
        <span className="font-medium" data-testid="user-name">
          {user.username}
        </span>{' '}
        <span
          className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300"
          data-testid="user-role"
        >
          {describeRole(user)}
        </span>
      </span>
      <button
        type="button"
        onClick={signOut}
        disabled={busy}
        data-testid="sign-out"
        className="rounded-md border border-slate-300 px-2.5 py-1 font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        Sign out
      </button>
      <p role="alert" className="sr-only">
        {problem}
      </p>
      {problem ? <span className="text-red-700 dark:text-red-400">{problem}</span> : null}
    </div>
  );
}
