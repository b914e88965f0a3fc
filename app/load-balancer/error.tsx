'use client';

import { RouteError } from '@/components/ui/route-error';

export default function LoadBalancerError(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError
      {...props}
      title="The load balancer page hit an error"
      escape={{ href: '/load-balancer', label: 'Start from the defaults' }}
    >
      The config could not be written for this link. Starting from the defaults usually works; the
      console&apos;s server log has the details.
    </RouteError>
  );
}
