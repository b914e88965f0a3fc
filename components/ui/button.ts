// Button classes, one place: the primary action, a quiet secondary one, and the small
// "Copy"/"Download" button of code blocks. Both colour schemes meet WCAG AA (white on sky-700 is
// 5.9:1; the dark-mode sky-600 was 4.1:1 and failed the accessibility suite).
const focus =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:focus-visible:outline-sky-400';

export const buttonClass = {
  primary: `rounded-md bg-sky-700 px-3 py-1.5 font-semibold text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-60 ${focus}`,
  secondary: `rounded-md border border-slate-400 bg-white px-3 py-1.5 font-semibold text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 ${focus}`,
  /** The small button beside a code block's file name. */
  code: `inline-flex shrink-0 items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700 ${focus}`,
} as const;
