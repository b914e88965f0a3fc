// Shared fixtures for the wizard tests.
import type { UcpConnectionOptions } from '@/lib/domain/commands';
import { oneLine } from '@/lib/domain/shell';
import { testReplicaId } from '@/test/support/snapshot';
import type { Gate } from '@/lib/domain/wizards/gates';

export const CONNECTION: UcpConnectionOptions = {
  dtrVersion: '2.9.16',
  ucpUrl: 'https://ucp.example.com',
  ucpUsername: 'admin',
  ucpCa: { kind: 'fetch' },
};

export const [R1, R2, R3, R4, R5, R6, R7] = [0, 1, 2, 3, 4, 5, 6].map(testReplicaId) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

export const gateIds = (plan: { gates: Gate[] }): string[] => plan.gates.map((g) => g.id);

/** A wrapped command as one line, the way the shell reads it (lib/domain/shell.ts). */
export const flat = oneLine;

export function gate(plan: { gates: Gate[] }, id: string): Gate {
  const found = plan.gates.find((g) => g.id === id);
  if (!found) throw new Error(`no gate ${id} among ${gateIds(plan).join(', ') || 'none'}`);
  return found;
}
