// Starts the monitor (and, with no cluster configured, the demo cluster) once per server process,
// so polling never depends on whether anyone is viewing.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  // Before anything can answer: TRACE/TRACK get a clean 405, never Next's 500 and stack trace.
  const { refuseForbiddenMethods } = await import('./lib/server/refuse-methods');
  refuseForbiddenMethods();
  // GET /api/status answered at the HTTP server once the fleet is up (lib/server/status-lane.ts).
  const { installStatusLane } = await import('./lib/server/status-lane');
  const { readyFleet } = await import('./lib/server/runtime');
  installStatusLane(readyFleet);
  const { bootOrExit } = await import('./lib/server/boot');
  await bootOrExit();
}
