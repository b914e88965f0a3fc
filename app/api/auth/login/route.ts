// POST /api/auth/login — check UCP credentials and start a session (cookie): lib/auth/sign-in.ts.
import { signIn } from '@/lib/auth/sign-in';
import { withErrors } from '@/lib/http/errors';

export const POST = withErrors(signIn);
