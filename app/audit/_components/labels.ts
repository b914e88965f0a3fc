import type { AuditAction, AuditOutcome } from '@/lib/auth/audit';

export const ACTION_LABEL: Record<AuditAction, string> = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'sign-in-locked': 'Sign-in locked out',
  'sign-out': 'Signed out',
  'access-denied': 'Access denied',
  'demo-fault': 'Demo fault',
  'demo-reset': 'Demo reset',
  'wizard-command': 'Wizard command',
  'wizard-applied': 'Wizard applied (demo)',
  'wizard-ran': 'Wizard command run',
  'wizard-verified': 'Wizard verified',
  'wizard-failed': 'Wizard failed',
  'wizard-cancelled': 'Wizard cancelled',
  'wizard-execution-refused': 'Step run refused',
  'wizard-execution-started': 'Step run started',
  'wizard-executed': 'Step ran',
  'wizard-execution-failed': 'Step run failed',
  'wizard-execution-unknown': 'Step ended unwatched',
  'wizard-execution-released': 'Step slot released',
  'wizard-container-started': 'Replica containers started',
  'alert-channel-created': 'Alert channel added',
  'alert-channel-changed': 'Alert channel changed',
  'alert-channel-deleted': 'Alert channel removed',
  'alert-channel-tested': 'Alert channel tested',
};

export const OUTCOME_LABEL: Record<AuditOutcome, string> = {
  succeeded: 'Succeeded',
  refused: 'Refused by the console',
  failed: 'Failed',
};
