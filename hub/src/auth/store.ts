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
    async addSession(idHash: string, expiresAt: number, now: number, name: string | null = null): Promise<void> {
      await db.delete(sessions).where(lte(sessions.expiresAt, now));
      await db.insert(sessions).values({ idHash, expiresAt, createdAt: now, name });
    },
    /** The live session's actor name (`console` or `console:<name>`), or null when there is none. */
    async sessionActor(idHash: string, now: number): Promise<string | null> {
      const rows = await db
        .select({ name: sessions.name })
        .from(sessions)
        .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)));
      const row = rows[0];
      return row === undefined ? null : row.name ? `console:${row.name}` : 'console';
    },
    async deleteSession(idHash: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.idHash, idHash));
    },
  };
}
export type AuthStore = ReturnType<typeof createAuthStore>;
