// History as the console keeps it: state changes as events, a sampled series, the retention tiers
// that keep the file bounded, outages for the timeline, and the time ranges people ask for. Pure:
// the store and the recorder (lib/store, lib/server/services/history.ts) do the I/O.
export * from './events';
export * from './samples';
export * from './retention';
export * from './outages';
export * from './range';
