// Wizard runs on the server: plan a request against the live status, persist the run with its
// command, apply it to the demo cluster, verify it, and audit every step. Rules live in
// lib/domain/wizards; these modules only do I/O and state transitions:
// shared.ts (actor, errors, audit, lock, views), withdraw.ts (withdrawal and verification),
// runs.ts (create, read, list, update), apply.ts (the demo cluster's apply).
export { type WizardActor, WizardRequestError } from './shared';
export { createRun, getRun, listRuns, updateRun, type RunAction } from './runs';
export { applyRun } from './apply';
