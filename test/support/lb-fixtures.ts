// Replica sets for the load-balancer tests (unit and real-binary).
import type { LbReplicaInput } from '@/lib/domain/lb/replicas';

export const GENERATED_AT = '2024-05-01T12:00:00.000Z';

export type AddressStyle = 'ipv4' | 'hostname' | 'ipv6' | 'mixed';

export interface ReplicaSetSpec {
  /** Each replica on its own ports (8000+i / 9000+i) instead of 80/443. */
  customPorts?: boolean;
  addresses?: AddressStyle;
  /** Host name used for the `hostname` style, numbered: `<base>-<n>`; default `dtr`, with `.example.com`. */
  hostname?: (index: number) => string;
  healthy?: (index: number) => boolean | undefined;
}

export function replicaId(index: number): string {
  return (0xa1b2c3000000 + (index + 1) * 0x111).toString(16);
}

function addressOf(
  style: AddressStyle,
  index: number,
  hostname: (index: number) => string,
): string {
  const kind = style === 'mixed' ? (['ipv4', 'hostname', 'ipv6'] as const)[index % 3]! : style;
  if (kind === 'ipv4') return `10.0.0.${index + 10}`;
  if (kind === 'ipv6') return `fd00::${(index + 10).toString(16)}`;
  return hostname(index);
}

/** `count` replicas, listed in reverse ID order so that sorting is observable. */
export function replicaSet(count: number, spec: ReplicaSetSpec = {}): LbReplicaInput[] {
  const hostname = spec.hostname ?? ((i: number) => `dtr-${i + 1}.example.com`);
  return Array.from({ length: count }, (_, i) => ({
    id: replicaId(i),
    address: addressOf(spec.addresses ?? 'ipv4', i, hostname),
    httpPort: spec.customPorts ? 8000 + i : 80,
    httpsPort: spec.customPorts ? 9000 + i : 443,
    healthy: spec.healthy ? spec.healthy(i) : true,
  })).reverse();
}
