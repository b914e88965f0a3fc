// Guided join, remove and emergency repair: pure rules, plans, verification and URL state.
export * from './gates';
export * from './impact';
export * from './join';
export * from './join-gates';
export * from './join-options';
export * from './join-targets';
export * from './params';
export * from './remove';
export * from './repair';
export * from './run';
export * from './run-subject';
export * from './steps';
export * from './verify';
export * from './run-plan';
export * from './staleness';
