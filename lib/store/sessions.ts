// Revoked sessions in the database, so a sign-out holds on every console instance sharing it and
// survives a restart. A row is kept only until its session would have expired anyway.
import 'server-only';
import type { Kysely } from 'kysely';
import type { StoreSchema } from './schema';

export interface RevokedSessionRepository {
  revoke(id: string, expiresAt: number): Promise<void>;
  isRevoked(id: string): Promise<boolean>;
  /** Deletes rows whose session has expired; how many. */
  purgeExpired(now: number): Promise<number>;
  /** Sessions revoked and not yet expired (loaded into memory at start-up). */
  listActive(now: number): Promise<{ id: string; expiresAt: number }[]>;
}

export function createRevokedSessionRepository(db: Kysely<StoreSchema>): RevokedSessionRepository {
  return {
    async revoke(id, expiresAt) {
      await db
        .insertInto('revoked_sessions')
        .values({ id, expires_at: expiresAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async isRevoked(id) {
      const row = await db
        .selectFrom('revoked_sessions')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      return row !== undefined;
    },
    async listActive(now) {
      const rows = await db
        .selectFrom('revoked_sessions')
        .select(['id', 'expires_at'])
        .where('expires_at', '>', now)
        .execute();
      return rows.map((row) => ({ id: row.id, expiresAt: Number(row.expires_at) }));
    },
    async purgeExpired(now) {
      const result = await db
        .deleteFrom('revoked_sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
