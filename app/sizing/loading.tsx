import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <LoadingFrame label="Computing the plan…">
      <Skeleton className="h-8 w-72 max-w-full" />
      <div className="grid grid-cols-1 gap-8 lg:grid-cols-[21rem_minmax(0,1fr)]">
        <Skeleton className="h-[36rem]" />
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
            <Skeleton className="h-40" />
            <Skeleton className="h-40" />
            <Skeleton className="h-40" />
          </div>
          <Skeleton className="h-64" />
          <Skeleton className="h-80" />
        </div>
      </div>
    </LoadingFrame>
  );
}
