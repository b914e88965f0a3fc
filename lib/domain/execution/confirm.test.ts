import { describe, expect, it } from 'vitest';
import { ago, buildSnapshot, HOUR } from '@/test/support/snapshot';
import { CONNECTION, R1, R2, R3, R4, R5 } from '@/test/support/wizards';
import { planRequest } from '../wizards/run-plan';
import type { CreateRunRequest, WizardRunState } from '../wizards/run';
import type { ClusterSnapshot } from '../types';
import { checkConfirmation, confirmationFor } from './confirm';

function stateOf(snapshot: ClusterSnapshot, request: CreateRunRequest): WizardRunState {
  const plan = planRequest(snapshot, request, { connection: CONNECTION });
  if (!plan.state) throw new Error(`no plan: ${plan.gates.map((g) => g.message).join(' ')}`);
  return plan.state;
}
const down = { status: 'unreachable' as const, since: ago(HOUR) };

const removeOne = () =>
  stateOf(buildSnapshot({ replicas: ['healthy', 'healthy', down] }), {
    kind: 'remove',
    replicaId: R3,
  });
const removeTwo = () =>
  stateOf(buildSnapshot({ replicas: ['healthy', 'healthy', 'healthy', down, down] }), {
    kind: 'remove',
    replicaId: R4,
    alsoRemove: [R5],
  });
const repair = () =>
  stateOf(buildSnapshot({ replicas: ['healthy', down, down] }), {
    kind: 'repair',
    keepReplicaId: R1,
    acknowledge: ['bring-back-first', 'repair-consequence'],
  });
const join = () => stateOf(buildSnapshot({ spareDtrNodes: 1 }), { kind: 'join', node: 'dtr-4' });

describe('confirmationFor', () => {
  it('remove asks for the ID of the replica that leaves, repair for the one it keeps, join for nothing', () => {
    expect(confirmationFor(removeOne())).toMatchObject({ required: true, expected: R3 });
    expect(confirmationFor(removeOne()).prompt).toContain(`(${R3})`);
    expect(confirmationFor(removeTwo())).toMatchObject({ required: true, expected: `${R4},${R5}` });
    expect(confirmationFor(repair())).toMatchObject({ required: true, expected: R1 });
    expect(confirmationFor(repair()).prompt).toMatch(/replica to keep.*Every other replica/);
    expect(confirmationFor(join())).toEqual({ required: false, expected: '', prompt: '' });
  });
});

describe('checkConfirmation', () => {
  it('accepts the ID typed as shown, spaces around it ignored', () => {
    expect(checkConfirmation(removeOne(), R3)).toBeNull();
    expect(checkConfirmation(removeOne(), `  ${R3}\n`)).toBeNull();
    expect(checkConfirmation(repair(), R1)).toBeNull();
    expect(checkConfirmation(join(), undefined)).toBeNull();
  });

  it('accepts several IDs in any order, each once', () => {
    expect(checkConfirmation(removeTwo(), `${R4},${R5}`)).toBeNull();
    expect(checkConfirmation(removeTwo(), `${R5}, ${R4}`)).toBeNull();
    expect(checkConfirmation(removeTwo(), R4)).toMatch(
      /does not match the IDs of the replicas to remove/,
    );
    expect(checkConfirmation(removeTwo(), `${R4},${R4}`)).not.toBeNull();
    expect(checkConfirmation(removeTwo(), `${R4},${R5},${R1}`)).not.toBeNull();
  });

  it('refuses a missing, wrong or upper-case ID with a sentence that says what to type', () => {
    expect(checkConfirmation(removeOne(), undefined)).toBe(
      `Type the replica ID ${R3} to confirm; nothing was run.`,
    );
    expect(checkConfirmation(removeOne(), '   ')).toMatch(/^Type the replica ID/);
    expect(checkConfirmation(removeOne(), R2)).toBe(
      `The confirmation does not match the ID of the replica to remove (${R3}); nothing was run.`,
    );
    expect(checkConfirmation(removeOne(), R3.toUpperCase())).toMatch(/replica IDs are lower-case/);
    // Repair: typing the ID of a replica it drops is the mistake this guards against.
    expect(checkConfirmation(repair(), R2)).toBe(
      `The confirmation does not match the ID of the replica to keep (${R1}); nothing was run.`,
    );
  });
});
