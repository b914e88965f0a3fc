import { Skeleton } from '@/components/ui/skeleton';
import { PanelsSkeleton } from './_components/panels-skeleton';

export default function Loading() {
  return (
    <div className="flex flex-col gap-6">
      <div aria-hidden="true">
        <Skeleton className="h-8 w-40" />
      </div>
      <PanelsSkeleton />
    </div>
  );
}
