// Which address `npm start` binds. The demo cluster's sign-in page shows its users' passwords
// (admin included) to anyone who can reach it, so in demo mode the console listens on loopback
// only, unless HOSTNAME (or -H/--hostname) names another address. In live mode nothing changes:
// Next's default, every interface.

/** Demo mode: no cluster configured (the same test as lib/config/). */
export function isDemoMode(env) {
  return ['UCP_URL', 'DTR_URL', 'DOCKER_HOST'].every((key) => !(env[key] ?? '').trim());
}

/** The -H value to pass to `next start`, or null to leave Next's default. */
export function listenHost(env, argv = []) {
  const explicit = argv.some(
    (arg) => arg === '-H' || arg === '--hostname' || arg.startsWith('--hostname='),
  );
  if (explicit || !isDemoMode(env)) return null;
  return (env.HOSTNAME ?? '').trim() || '127.0.0.1';
}
