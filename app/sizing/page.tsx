import type { Metadata } from 'next';
import { buildSizingPlan, parseSizingParams, serializeSizingInput } from '@/lib/domain/sizing';
import { SizingView } from './_components/sizing-view';

export const metadata: Metadata = {
  title: 'Sizing',
  description:
    'Size a DTR (MSR 2.x) and UCP (MKE) deployment: replicas, managers and nodes for a failure tolerance, zone spread, downtime estimate and hardware.',
};

export default async function SizingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The URL is the plan's whole state: parse it (junk falls back per field), then compute.
  const { input, problems } = parseSizingParams(await searchParams);
  const plan = buildSizingPlan(input);
  return <SizingView plan={plan} problems={problems} query={serializeSizingInput(input)} />;
}
