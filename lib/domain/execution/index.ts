// Gated execution (issue 22): the pure rules of running a wizard's step through the Docker
// Engine API — the container spec, where it runs, the typed confirmation, the checks at
// execution time, the attach stream made into lines, and the record in words.
export * from './types';
export * from './spec';
export * from './node';
export * from './confirm';
export * from './gates';
export * from './demux';
export * from './record';
export * from './bring-back';
