'use client';
// next/link for the console's own pages: an internal href stays inside the current page's cluster
// (/c/<name>/…) in a fleet console, and is unchanged in a one-cluster console.
import NextLink from 'next/link';
import type { ComponentProps } from 'react';
import { useClusterHref } from '@/lib/hooks/cluster-url';

export default function Link({ href, ...props }: ComponentProps<typeof NextLink>) {
  const toCluster = useClusterHref();
  return <NextLink href={typeof href === 'string' ? toCluster(href) : href} {...props} />;
}
