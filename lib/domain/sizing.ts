// Sizing calculator for capacity planners: inputs (from the URL or the form) → a plan whose every
// output carries its reason, the availability estimate, warnings, exports and the way from the
// running cluster to the plan. Pure: no I/O, no framework.
export * from './sizing/availability';
export * from './sizing/compare';
export * from './sizing/export';
export * from './sizing/form';
export * from './sizing/hardware';
export * from './sizing/input';
export * from './sizing/live';
export * from './sizing/migration';
export * from './sizing/plan';
export * from './sizing/types';
export * from './sizing/url';
export * from './sizing/warnings';
export * from './sizing/zones';
export * from './sizing/words';
