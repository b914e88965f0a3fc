// The SWR key of GET /api/load-balancer/drift, importable by Server Components (which cannot load SWR's hooks).
export const LB_DRIFT_KEY = '/api/load-balancer/drift';
