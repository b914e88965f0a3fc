// The SWR key of GET /api/status, in a module of its own so Server Components can seed the cache
// (<SWRConfig fallback>) without importing the client-only hook.
export const CLUSTER_STATUS_KEY = '/api/status';
