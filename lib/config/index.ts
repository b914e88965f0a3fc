// The console's configuration: model.ts (what it is), env.ts (parsed from process.env, the only
// reader of it), target.ts (the files a live config points at, read into the poll target).
import 'server-only';
export * from './model';
export * from './env';
export * from './target';
