import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <LoadingFrame label="Reading the cluster…" className="flex max-w-4xl flex-col gap-6">
      <Skeleton className="h-8 w-80 max-w-full" />
      <Skeleton className="h-6 w-full" />
      <Skeleton className="h-72" />
    </LoadingFrame>
  );
}
