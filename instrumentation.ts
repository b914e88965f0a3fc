// Starts the monitor (and, with no cluster configured, the demo cluster) once per server process,
// so polling never depends on whether anyone is viewing.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { bootOrExit } = await import('./lib/server/boot');
  await bootOrExit();
}
