// Class strings shared by the wizard components (same look as the demo panel and sizing form).
const focus =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:focus-visible:outline-sky-400';

export const buttonBase = `inline-flex items-center justify-center gap-1 rounded-md px-3 py-1.5 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-60 ${focus}`;
export const primaryButton = `${buttonBase} bg-sky-700 text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500`;
export const secondaryButton = `${buttonBase} border border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700`;
export const dangerButton = `${buttonBase} bg-red-700 text-white hover:bg-red-800`;
export const field = `w-full rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 ${focus}`;
export const card =
  'flex min-w-0 flex-col gap-4 rounded-lg border border-slate-300 bg-white p-4 sm:p-5 dark:border-slate-700 dark:bg-slate-900';
export const link = `font-semibold text-sky-800 underline underline-offset-2 dark:text-sky-300 ${focus}`;
export const muted = 'text-sm text-slate-700 dark:text-slate-300';
