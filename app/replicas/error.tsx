'use client';

import { RouteError } from '@/components/ui/route-error';

export default function ReplicasError(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError
      {...props}
      title="The replica wizards hit an error"
      escape={{ href: '/', label: 'Back to the overview' }}
    >
      Nothing was changed in the cluster by this error: commands only run when you run them. The
      console may still be starting, or its store may be unreachable; the server log has the
      details.
    </RouteError>
  );
}
