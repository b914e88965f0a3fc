// The console's configuration: model.ts (what it is), env.ts (parsed from process.env, the only
// reader of it), target.ts (the files a live config points at, read into the poll target),
// clusters.ts (the fleet: today's variables as one cluster, CLUSTERS_FILE or DEMO_CLUSTERS).
import 'server-only';
export * from './model';
export * from './env';
export * from './target';
export * from './clusters';
