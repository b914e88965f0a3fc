import { PanelsSkeleton } from './_components/panels-skeleton';

export default function Loading() {
  return (
    <div className="flex flex-col gap-6">
      <div
        aria-hidden="true"
        className="h-8 w-40 animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none dark:bg-slate-800"
      />
      <PanelsSkeleton />
    </div>
  );
}
