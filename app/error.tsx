'use client';

import { RouteError } from '@/components/ui/route-error';

export default function ErrorPage(props: { error: unknown; retry: () => void }) {
  return (
    <RouteError {...props} title="The console could not show this page">
      Something failed while reading the cluster status. This says nothing about the cluster itself:
      the monitor may still be starting, or the console&apos;s server hit an error.
    </RouteError>
  );
}
