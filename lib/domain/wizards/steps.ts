// The numbered steps of each wizard. Steps before `command` live in the wizard page's URL;
// from `command` on, the run is persisted and its page resumes at its step.
import type { WizardKind } from './gates';

export interface WizardStep {
  id: string;
  title: string;
}

export const WIZARD_STEPS = {
  remove: [
    { id: 'choose', title: 'Choose the replica' },
    { id: 'preview', title: 'Check the impact' },
    { id: 'command', title: 'Run the command' },
    { id: 'verify', title: 'Verify' },
    { id: 'load-balancer', title: 'Update the load balancer' },
  ],
  join: [
    { id: 'node', title: 'Pick a node' },
    { id: 'options', title: 'Options' },
    { id: 'preview', title: 'Check the impact' },
    { id: 'command', title: 'Run the command' },
    { id: 'verify', title: 'Verify' },
    { id: 'load-balancer', title: 'Update the load balancer' },
  ],
  repair: [
    { id: 'keep', title: 'Choose the replica to keep' },
    { id: 'preview', title: 'Confirm the consequence' },
    { id: 'command', title: 'Run emergency-repair' },
    { id: 'verify', title: 'Verify' },
    { id: 'next', title: 'Join new replicas' },
  ],
} as const satisfies Record<WizardKind, readonly WizardStep[]>;

export const RUN_STEPS = {
  remove: ['command', 'verify', 'load-balancer'],
  join: ['command', 'verify', 'load-balancer'],
  repair: ['command', 'verify', 'next'],
} as const satisfies Record<WizardKind, readonly string[]>;

export type RunStep<K extends WizardKind = WizardKind> = (typeof RUN_STEPS)[K][number];

export function isRunStep(kind: WizardKind, step: string): step is RunStep {
  return (RUN_STEPS[kind] as readonly string[]).includes(step);
}

/** 0-based position of a step in its wizard; -1 when unknown. */
export function stepIndex(kind: WizardKind, step: string): number {
  return WIZARD_STEPS[kind].findIndex((s) => s.id === step);
}
