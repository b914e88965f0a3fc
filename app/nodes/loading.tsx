import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

export default function NodesLoading() {
  return (
    <LoadingFrame label="Loading the node inventory…" className="flex flex-col gap-4">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
        <Skeleton className="col-span-2 h-14 sm:col-span-3 lg:col-span-2" />
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
      </div>
      <Skeleton className="h-5 w-56" />
      <Skeleton className="h-[32rem]" />
    </LoadingFrame>
  );
}
