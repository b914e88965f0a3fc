import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

export default function CachesLoading() {
  return (
    <LoadingFrame label="Loading the content caches…" className="flex flex-col gap-4">
      <Skeleton className="h-5 w-48" />
      <Skeleton className="h-40" />
      <Skeleton className="h-5 w-40" />
      <Skeleton className="h-16" />
    </LoadingFrame>
  );
}
