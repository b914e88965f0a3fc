// Starts the monitor (and, with no cluster configured, the demo cluster) once per server process,
// so polling never depends on whether anyone is viewing.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getRuntime } = await import('./lib/server/runtime');
  try {
    await getRuntime();
  } catch (error) {
    // A misconfiguration is reported as its own readable lines, not a stack trace.
    if (error instanceof Error && error.name === 'ConfigError') {
      console.error(`DTR HA Console cannot start:\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
