// The one error the load-balancer generators throw: which input was refused, and why, in words.

export class LbConfigError extends Error {
  override readonly name = 'LbConfigError';
  constructor(
    /** The input that was rejected, e.g. "replicas[2].address" or "checkIntervalMs". */
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A rejected value, quoted and shortened, with control characters escaped so the message stays one line. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
