// What the real-program suites share: a free loopback port, and waiting for a condition.
import { createServer, type AddressInfo } from 'node:net';

/** A port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Polls `probe` every `everyMs` until it gives a value other than null; a throw counts as "not
 * yet" and is reported if time runs out. `what` may be a function, to describe the state at the end.
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T | null>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const described = typeof what === 'function' ? what() : what;
  throw new Error(
    `timed out waiting for ${described}${last ? `; last error: ${String(last)}` : ''}`,
  );
}
