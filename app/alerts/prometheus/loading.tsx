import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

export default function PrometheusRulesLoading() {
  return (
    <LoadingFrame label="Writing the Prometheus rules…" className="flex flex-col gap-4">
      <Skeleton className="h-8 w-72 max-w-full" />
      <Skeleton className="h-24" />
      <Skeleton className="h-[28rem]" />
      <Skeleton className="h-40" />
    </LoadingFrame>
  );
}
