import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <LoadingFrame label="Writing the load balancer config…">
      <Skeleton className="h-8 w-72 max-w-full" />
      <div className="grid grid-cols-1 gap-8 lg:grid-cols-[19rem_minmax(0,1fr)]">
        <Skeleton className="h-[32rem]" />
        <div className="flex flex-col gap-4">
          <Skeleton className="h-24" />
          <Skeleton className="h-[28rem]" />
          <Skeleton className="h-40" />
        </div>
      </div>
    </LoadingFrame>
  );
}
