import { describe, expect, it } from 'vitest';
import { AuditQuerySchema, MemoryAuditLog, type AuditEvent } from './audit';

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

describe('AuditQuerySchema', () => {
  it('reads times from a URL as UTC and refuses what is not an ISO date', () => {
    expect(AuditQuerySchema.parse({ from: '2024-05-01T12:00' }).from).toBe(
      '2024-05-01T12:00:00.000Z',
    );
    expect(AuditQuerySchema.parse({ to: '2024-05-01T14:00+02:00' }).to).toBe(
      '2024-05-01T12:00:00.000Z',
    );
    expect(AuditQuerySchema.parse({ from: '2024-05-01' }).from).toBe('2024-05-01T00:00:00.000Z');
    for (const from of ['1', 'yesterday', '2024-05-01 12:00', '2024-13-01T00:00']) {
      expect(AuditQuerySchema.safeParse({ from }).success, from).toBe(false);
    }
  });

  it('treats blank fields as no filter and refuses contradictions', () => {
    expect(AuditQuerySchema.parse({ actor: '', action: '', outcome: '', limit: '' })).toEqual({
      limit: 50,
    });
    expect(
      AuditQuerySchema.safeParse({ from: '2024-05-02T00:00', to: '2024-05-01T00:00' }).success,
    ).toBe(false);
    expect(
      AuditQuerySchema.safeParse({
        before: '2024-05-01T12:00:04.000Z~1',
        after: '2024-05-01T12:00:04.000Z~2',
      }).success,
    ).toBe(false);
    expect(AuditQuerySchema.safeParse({ before: '17' }).success).toBe(false);
  });
});
