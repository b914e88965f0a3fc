import type { Metadata } from 'next';
import Link from '@/components/ui/cluster-link';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { currentSession } from '@/lib/server/current-user';
import { safeNextPath } from '@/lib/auth/next-path';
import { noAccessMessage } from '@/lib/domain/access';
import { getDemoUsers, getFleet, type Fleet } from '@/lib/server/runtime';
import type { DemoUserCredentials } from './_components/demo-users';
import { LoginForm } from './_components/login-form';

export const metadata: Metadata = { title: 'Sign in' };

const REASONS: Record<string, string> = {
  expired: 'Your session expired. Sign in again.',
  invalid: 'Your session is no longer valid (the console may have restarted). Sign in again.',
  'signed-out': 'You signed out.',
};

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const params = await searchParams;
  const next = safeNextPath(first(params.next));
  const fleet = await getFleet();
  const settings = fleet.auth;

  if (!settings.enabled) {
    return (
      <section className="mx-auto max-w-md py-10">
        <h1 className="text-2xl font-bold tracking-tight">Sign-in is turned off</h1>
        <p className="mt-3 text-slate-700 dark:text-slate-300">
          This console runs with <code>AUTH=off</code>: nobody is asked for a password and every
          visitor acts as an administrator. Use it only on your own machine.
        </p>
        <Link
          href="/"
          className="mt-4 inline-block font-semibold text-sky-800 underline dark:text-sky-300"
        >
          Go to the overview
        </Link>
      </section>
    );
  }

  // Sent here from a cluster the person has no role on: say so, and offer to sign in again
  // (e.g. once that cluster's UCP answers) rather than send them straight back.
  const noAccessTo = first(params.reason) === 'no-access' ? first(params.cluster) : undefined;
  const noAccess =
    noAccessTo !== undefined && fleet.get(noAccessTo) !== null ? noAccessTo : undefined;
  const session = await currentSession();
  if (session.ok && noAccess === undefined) redirect(next);

  const reason =
    noAccess !== undefined ? noAccessMessage(noAccess) : REASONS[first(params.reason) ?? ''];
  const demoUsers = withRolesPerCluster(await getDemoUsers(), fleet);

  return (
    <section className="mx-auto flex max-w-md flex-col gap-6 py-10" aria-labelledby="login-title">
      <div>
        <h1 id="login-title" className="text-2xl font-bold tracking-tight">
          Sign in
        </h1>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          Use your UCP username and password. UCP administrators can run wizards and change things;
          everyone else can look.
        </p>
      </div>
      {reason && (
        <p
          data-testid="login-reason"
          className="rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-50"
        >
          {reason}
        </p>
      )}
      {noAccess !== undefined && session.ok && (
        <p className="text-sm">
          <Link href="/" className="font-semibold text-sky-800 underline dark:text-sky-300">
            Back to the clusters you can see
          </Link>
        </p>
      )}
      <LoginForm next={next} {...(demoUsers ? { demoUsers } : {})} />
    </section>
  );
}

/**
 * In a demo fleet the people are the same on every cluster but their roles need not be (operator):
 * "change things on dr; view on prod". With one cluster, or one role everywhere, as before.
 */
function withRolesPerCluster(
  users: DemoUserCredentials[] | null,
  fleet: Fleet,
): DemoUserCredentials[] | undefined {
  if (!users) return undefined;
  if (!fleet.multi) return users;
  return users.map((user) => {
    const roles = fleet.clusters.flatMap((runtime) => {
      const there = runtime.demo?.users.find((person) => person.username === user.username);
      return there ? [{ cluster: runtime.cluster, isAdmin: there.isAdmin }] : [];
    });
    if (roles.every((role) => role.isAdmin === user.isAdmin)) return user;
    const can = [...roles]
      .sort((a, b) => a.cluster.localeCompare(b.cluster))
      .map((role) => `${role.isAdmin ? 'change things' : 'view'} on ${role.cluster}`)
      .join('; ');
    return { ...user, can };
  });
}
