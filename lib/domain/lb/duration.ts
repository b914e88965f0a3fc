// Durations as HAProxy and NGINX both read them: the largest whole unit of m, s or ms.
export function configDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
