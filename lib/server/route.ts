// The route wrappers every handler uses, bound to the runtime: each request is checked against
// the runtime's auth settings, and the handler is handed the runtime to take its services from.
//   export const POST = withAuth(async (request, { user }, { params }, runtime) => ..., { need: 'admin' })
import 'server-only';
import { guards } from '@/lib/auth/guard';
import { getRuntime, type Runtime } from './runtime';

export const { withAuth, withScrapeAccess, withMetricsAccess } = guards<Runtime>(async () => {
  const runtime = await getRuntime();
  return { settings: runtime.auth, env: runtime };
});
