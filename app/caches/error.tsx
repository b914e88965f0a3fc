'use client';

import { RouteError } from '@/components/ui/route-error';

export default function CachesError(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError {...props} title="The content caches could not be shown">
      Something failed while reading or drawing the cache list. This says nothing about the cluster
      itself: the monitor may still be starting, or the console&apos;s server hit an error.
    </RouteError>
  );
}
