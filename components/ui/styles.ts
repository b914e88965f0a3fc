// Class strings every page shares: buttons, form fields, links, cards. The focus ring is not
// here: app/globals.css gives every control one (sky, AA in both schemes). Both colour schemes
// meet WCAG AA (white on sky-700 is 5.9:1; white on sky-600 was 4.1:1 and failed the a11y suite).
const buttonBase =
  'inline-flex items-center justify-center gap-1 rounded-md px-3 py-1.5 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-60';

export const buttonClass = {
  /** The page's main action. */
  primary: `${buttonBase} bg-sky-700 text-white hover:bg-sky-800`,
  /** A quiet alternative beside it. */
  secondary: `${buttonBase} border border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700`,
  /** What changes or breaks something (fault injection, emergency repair). */
  danger: `${buttonBase} bg-red-700 text-white hover:bg-red-800`,
  /** The small button beside a code block's file name ("Copy", "Download"). */
  code: 'inline-flex shrink-0 items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
} as const;

/** A text input or select. */
export const fieldClass =
  'w-full rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 aria-[invalid=true]:border-red-600 disabled:opacity-70 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100';

/** An inline link; `strong` for one that stands alone (a way back, a next step). */
export const linkClass = {
  normal: 'font-medium text-sky-800 underline underline-offset-2 dark:text-sky-300',
  strong: 'font-semibold text-sky-800 underline underline-offset-2 dark:text-sky-300',
} as const;

export const cardClass =
  'flex min-w-0 flex-col gap-4 rounded-lg border border-slate-300 bg-white p-4 sm:p-5 dark:border-slate-700 dark:bg-slate-900';

export const mutedClass = 'text-sm text-slate-700 dark:text-slate-300';
