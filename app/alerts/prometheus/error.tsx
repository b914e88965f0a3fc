'use client';

import { RouteError } from '@/components/ui/route-error';

export default function PrometheusRulesError(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError {...props} title="The Prometheus rules could not be shown">
      Something failed while reading the cluster&apos;s size or writing the rules. This says nothing
      about the cluster itself: the monitor may still be starting, or the console&apos;s server hit
      an error.
    </RouteError>
  );
}
