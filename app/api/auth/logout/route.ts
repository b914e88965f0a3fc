// POST /api/auth/logout — end the session: revoke it and clear the cookie (lib/auth/sign-in.ts).
import { signOut } from '@/lib/auth/sign-in';
import { withErrors } from '@/lib/http/errors';
import { getRuntime } from '@/lib/server/runtime';

export const POST = withErrors(async (request: Request) =>
  signOut(request, (await getRuntime()).auth),
);
