// Polling with a deadline, for daemons that take their time.

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(
  what: string,
  deadline: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await delay(250);
  }
  throw new Error(
    `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
  );
}
