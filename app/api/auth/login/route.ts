// POST /api/auth/login — check UCP credentials and start a session (cookie): lib/auth/sign-in.ts.
import { signIn } from '@/lib/auth/sign-in';
import { withErrors } from '@/lib/http/errors';
import { getRuntime } from '@/lib/server/runtime';

export const POST = withErrors(async (request: Request) =>
  signIn(request, (await getRuntime()).auth),
);
