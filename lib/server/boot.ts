// Node-only start-up, imported by instrumentation.ts: boot the runtime, or explain a bad
// configuration in its own readable lines and exit (no stack trace).
import 'server-only';
import { getRuntime } from './runtime';

export async function bootOrExit(): Promise<void> {
  try {
    await getRuntime();
  } catch (error) {
    if (error instanceof Error && error.name === 'ConfigError') {
      // One problem, one line (a process manager's log shows it whole); several, one per line.
      console.error(
        error.message.includes('\n')
          ? `DTR HA Console cannot start:\n${error.message}`
          : `DTR HA Console cannot start: ${error.message}`,
      );
      process.exit(1);
    }
    throw error;
  }
}
