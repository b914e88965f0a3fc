export function isDemoMode(env: Record<string, string | undefined>): boolean;
export function listenHost(env: Record<string, string | undefined>, argv?: string[]): string | null;
