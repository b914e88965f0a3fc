'use client';

import { useId, useState } from 'react';
import { buttonClass, fieldClass } from '@/components/ui/styles';
import { safeNextPath } from '@/lib/auth/next-path';
import { apiFetch, ApiFetchError } from '@/lib/hooks/api-fetch';
import { DemoUsers, type DemoUserCredentials } from './demo-users';

type Problem = { text: string; lockedOut: boolean } | null;

/** Clusters whose UCP did not answer: signed in, without access there (sentences from the server). */
type Signed = { notices: string[] };

async function signIn(username: string, password: string): Promise<Signed | Problem> {
  try {
    // 401 here is a wrong password, not a lapsed session.
    const answer = await apiFetch<{ notices?: string[] }>('/api/auth/login', {
      method: 'POST',
      body: { username, password },
      signInOn401: false,
    });
    return { notices: answer.notices ?? [] };
  } catch (error) {
    return {
      text: error instanceof Error ? error.message : String(error),
      lockedOut: error instanceof ApiFetchError && error.httpStatus === 429,
    };
  }
}

/** Username and password for UCP; in demo mode, the demo accounts to try. */
export function LoginForm({
  next,
  demoUsers,
}: {
  next: string;
  demoUsers?: DemoUserCredentials[];
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const id = useId();

  function proceed() {
    // A full load, so every server-rendered part sees the new session (and its CSRF token).
    // Checked again here: whatever the page passed, never navigate off the console.
    window.location.assign(safeNextPath(next));
  }

  async function submit() {
    setPending(true);
    setProblem(null);
    setNotices([]);
    const outcome = await signIn(username.trim(), password);
    if (outcome && 'notices' in outcome) {
      // Signed in, but some cluster's UCP did not answer: say so before going on.
      if (outcome.notices.length === 0) return proceed();
      setNotices(outcome.notices);
      setPending(false);
      return;
    }
    setProblem(outcome);
    setPending(false);
  }

  if (notices.length > 0) {
    return (
      <div
        className="flex flex-col gap-4 rounded-lg border border-amber-400 bg-amber-50 p-5 text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-50"
        data-testid="login-notices"
      >
        <ul role="status" className="flex list-disc flex-col gap-2 pl-5 text-sm font-medium">
          {notices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
        <button
          type="button"
          className={buttonClass.primary}
          data-testid="login-continue"
          onClick={proceed}
        >
          Continue
        </button>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <form
        className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
        aria-describedby={`${id}-problem`}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div>
          <label htmlFor={`${id}-username`} className="block text-sm font-medium">
            Username
          </label>
          <input
            id={`${id}-username`}
            name="username"
            data-testid="login-username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={128}
            className={fieldClass}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-password`} className="block text-sm font-medium">
            Password
          </label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            data-testid="login-password"
            autoComplete="current-password"
            required
            maxLength={1024}
            className={fieldClass}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button
          type="submit"
          data-testid="login-submit"
          disabled={pending}
          className={buttonClass.primary}
        >
          {pending ? 'Checking with UCP…' : 'Sign in'}
        </button>
        <p
          id={`${id}-problem`}
          role="alert"
          aria-live="assertive"
          data-testid="login-error"
          data-locked-out={problem?.lockedOut ? 'true' : undefined}
          className={
            problem
              ? `rounded-md px-3 py-2 text-sm font-medium ${
                  problem.lockedOut
                    ? 'border border-red-500 bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100'
                    : 'text-red-800 dark:text-red-200'
                }`
              : 'sr-only'
          }
        >
          {problem && <span aria-hidden="true">✗ </span>}
          {problem?.text}
        </p>
      </form>
      {demoUsers && demoUsers.length > 0 && (
        <DemoUsers
          users={demoUsers}
          onUse={(user) => {
            setUsername(user.username);
            setPassword(user.password);
            setProblem(null);
          }}
        />
      )}
    </div>
  );
}
