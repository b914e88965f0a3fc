import type { Metadata } from 'next';
import { connection } from 'next/server';
import {
  buildSizingPlan,
  liveSizingStart,
  parseSizingParams,
  serializeSizingInput,
  type LiveStart,
} from '@/lib/domain/sizing';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getClusterStatus } from '@/lib/server/services/status';
import { SizingView, type PlanOrigin } from './_components/sizing-view';

export const metadata: Metadata = {
  title: 'Sizing',
  description:
    'Size a DTR (MSR 2.x) and UCP (MKE) deployment: replicas, managers and nodes for a failure tolerance, zone spread, downtime estimate and hardware.',
};

async function readLiveStart(): Promise<LiveStart> {
  try {
    return liveSizingStart(await getClusterStatus(await pageRuntime()));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      available: false,
      reason: `the console could not read the cluster status (${reason}).`,
    };
  }
}

export default async function SizingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The running cluster's figures are read per request: never prerender them.
  await connection();
  // A link that names any input is the plan (junk falls back per field to the defaults); a bare
  // /sizing starts from the running cluster when the console has its figures.
  const parsed = parseSizingParams(await searchParams);
  const live = await readLiveStart();
  const fromLive = !parsed.explicit && live.available;
  const input = fromLive ? live.input : parsed.input;
  const query = serializeSizingInput(input);
  const origin: PlanOrigin = fromLive
    ? { kind: 'live', live }
    : parsed.explicit
      ? {
          kind: 'link',
          live,
          matchesLive: live.available && serializeSizingInput(live.input) === query,
        }
      : { kind: 'defaults', reason: live.available ? '' : live.reason };
  return (
    <SizingView
      plan={buildSizingPlan(input)}
      problems={parsed.problems}
      query={query}
      origin={origin}
      liveInput={live.available ? live.input : null}
    />
  );
}
