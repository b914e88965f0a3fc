'use client';

import { RouteError } from '@/components/ui/route-error';

export default function SizingError(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError
      {...props}
      title="The sizing calculator hit an error"
      escape={{ href: '/sizing', label: 'Start from the defaults' }}
    >
      The plan could not be computed for this link. Starting from the defaults usually works; the
      console&apos;s server log has the details.
    </RouteError>
  );
}
