'use client';

import { RouteError } from '@/components/ui/route-error';

export default function NodesError(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError {...props} title="The node inventory could not be shown">
      Something failed while reading or drawing the node list. This says nothing about the cluster
      itself: the monitor may still be starting, or the console&apos;s server hit an error.
    </RouteError>
  );
}
