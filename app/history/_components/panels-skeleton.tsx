import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

/** Placeholder with the shape of the timeline and charts while history loads. */
export function PanelsSkeleton() {
  return (
    <LoadingFrame label="Loading history…">
      <Skeleton className="h-28" />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Skeleton className="h-80" />
        <Skeleton className="h-80" />
      </div>
      <Skeleton className="h-80" />
    </LoadingFrame>
  );
}
