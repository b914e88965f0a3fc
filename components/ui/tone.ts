// Colour families for states. Colour is never the only signal: every use pairs it with an icon
// and words. Text pairs are Tailwind 900-on-50/100 (light) and 50/100-on-950/900 (dark): AA+.
import type { MemberStatus, QuorumStatus, Severity } from '@/lib/domain/types';

export type Tone = 'ok' | 'warn' | 'risk' | 'bad' | 'info' | 'neutral';

export const panelTone: Record<Tone, string> = {
  ok: 'border-emerald-600 bg-emerald-50 text-emerald-950 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-50',
  warn: 'border-amber-500 bg-amber-50 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50',
  risk: 'border-orange-600 bg-orange-50 text-orange-950 dark:border-orange-400 dark:bg-orange-950 dark:text-orange-50',
  bad: 'border-red-600 bg-red-50 text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-50',
  info: 'border-sky-600 bg-sky-50 text-sky-950 dark:border-sky-400 dark:bg-sky-950 dark:text-sky-50',
  neutral:
    'border-slate-400 bg-slate-100 text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100',
};

export const badgeTone: Record<Tone, string> = {
  ok: 'bg-emerald-100 text-emerald-900 ring-emerald-700/30 dark:bg-emerald-900 dark:text-emerald-50 dark:ring-emerald-400/40',
  warn: 'bg-amber-100 text-amber-900 ring-amber-700/30 dark:bg-amber-900 dark:text-amber-50 dark:ring-amber-400/40',
  risk: 'bg-orange-100 text-orange-900 ring-orange-700/30 dark:bg-orange-900 dark:text-orange-50 dark:ring-orange-400/40',
  bad: 'bg-red-100 text-red-900 ring-red-700/30 dark:bg-red-900 dark:text-red-50 dark:ring-red-400/40',
  info: 'bg-sky-100 text-sky-900 ring-sky-700/30 dark:bg-sky-900 dark:text-sky-50 dark:ring-sky-400/40',
  neutral:
    'bg-slate-100 text-slate-800 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-400/40',
};

export const memberTone: Record<MemberStatus, Tone> = {
  healthy: 'ok',
  unhealthy: 'bad',
  unreachable: 'bad',
  // The member is fine by the cluster's word; the console's own path to it is what fails.
  'unreachable-from-console': 'warn',
  unknown: 'neutral',
  ghost: 'bad',
};

export const memberLabel: Record<MemberStatus, string> = {
  healthy: 'Healthy',
  unhealthy: 'Unhealthy',
  unreachable: 'Unreachable',
  'unreachable-from-console': 'Not reachable from the console',
  unknown: 'Unknown',
  ghost: 'Ghost (node gone)',
};

export const quorumTone: Record<QuorumStatus, Tone> = {
  healthy: 'ok',
  degraded: 'warn',
  'at-risk': 'risk',
  lost: 'bad',
  unknown: 'neutral',
};

export const severityTone: Record<Severity, Tone> = {
  critical: 'bad',
  warning: 'warn',
  info: 'info',
};
