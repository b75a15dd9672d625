import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { adminTokens, sessions } from '../db/schema.ts';

export function createAuthStore(db: Db) {
  return {
    async addAdminToken(tokenHash: string, now: number): Promise<void> {
      await db.insert(adminTokens).values({ tokenHash, createdAt: now }).onConflictDoNothing();
    },
    async hasAnyAdminToken(): Promise<boolean> {
      return (await db.select({ id: adminTokens.id }).from(adminTokens).limit(1)).length > 0;
    },
    /** The token's id (its name in lineage records, e.g. `admin-token-1`), or null. */
    async adminTokenId(tokenHash: string): Promise<number | null> {
      const rows = await db.select({ id: adminTokens.id }).from(adminTokens).where(eq(adminTokens.tokenHash, tokenHash));
      return rows[0]?.id ?? null;
    },
    async addSession(idHash: string, expiresAt: number, now: number): Promise<void> {
      await db.delete(sessions).where(lte(sessions.expiresAt, now));
      await db.insert(sessions).values({ idHash, expiresAt, createdAt: now });
    },
    async isSession(idHash: string, now: number): Promise<boolean> {
      const rows = await db
        .select({ id: sessions.idHash })
        .from(sessions)
        .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)));
      return rows.length > 0;
    },
    async deleteSession(idHash: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.idHash, idHash));
    },
  };
}
export type AuthStore = ReturnType<typeof createAuthStore>;
