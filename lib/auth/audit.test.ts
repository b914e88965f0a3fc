import { describe, expect, it } from 'vitest';
import { MemoryAuditLog, type AuditEvent } from './audit';

function event(i: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    at: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString(),
    actor: `user${i}`,
    action: 'sign-in',
    ip: '10.0.0.1',
    detail: 'signed in as viewer',
    ...overrides,
  };
}

describe('MemoryAuditLog', () => {
  it('lists the newest events first, up to the limit', async () => {
    const log = new MemoryAuditLog();
    for (let i = 0; i < 5; i++) await log.record(event(i));
    expect((await log.list({ limit: 3 })).map((e) => e.actor)).toEqual(['user4', 'user3', 'user2']);
    expect(await log.list({ limit: 0 })).toEqual([]);
  });

  it('keeps only the most recent events once full', async () => {
    const log = new MemoryAuditLog(10);
    for (let i = 0; i < 25; i++) await log.record(event(i));
    const all = await log.list({ limit: 100 });
    expect(all).toHaveLength(10);
    expect(all.at(-1)?.actor).toBe('user15');
  });

  it('flattens line breaks so an attempted username cannot forge extra log lines', async () => {
    const log = new MemoryAuditLog();
    await log.record(
      event(1, {
        actor: 'mallory\n2030-01-01 sign-in admin',
        action: 'sign-in-failed',
        detail: 'x'.repeat(2000),
      }),
    );
    const [stored] = await log.list({ limit: 1 });
    expect(stored?.actor).toBe('mallory 2030-01-01 sign-in admin');
    expect(stored?.detail.length).toBeLessThanOrEqual(500);
  });
});
