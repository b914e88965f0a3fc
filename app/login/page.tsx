import type { Metadata } from 'next';
import Link from '@/components/ui/cluster-link';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { currentSession } from '@/lib/server/current-user';
import { safeNextPath } from '@/lib/auth/next-path';
import { getDemoUsers, getRuntime } from '@/lib/server/runtime';
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
  const settings = (await getRuntime()).auth;

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

  const session = await currentSession();
  if (session.ok) redirect(next);

  const reason = REASONS[first(params.reason) ?? ''];
  const demoUsers = (await getDemoUsers()) ?? undefined;

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
      <LoginForm next={next} {...(demoUsers ? { demoUsers } : {})} />
    </section>
  );
}
