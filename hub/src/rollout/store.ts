import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { models, rollouts } from '../db/schema.ts';
import { defaultPolicy, newSalt, RolloutPolicySchema, type RolloutPolicy } from './policy.ts';

/** The `rollouts` table: one policy (JSON) per model, written only over the revision that was read. */
export function createRolloutStore(db: Db) {
  const parse = (raw: unknown): RolloutPolicy => RolloutPolicySchema.parse(raw);
  return {
    async get(modelId: number): Promise<RolloutPolicy | undefined> {
      const rows = await db.select({ policy: rollouts.policy }).from(rollouts).where(eq(rollouts.modelId, modelId));
      return rows[0] ? parse(rows[0].policy) : undefined;
    },
    /** The model's policy, created (idle, with a new random salt) on first use; concurrent first uses agree on one. */
    async ensure(modelId: number, now: number): Promise<RolloutPolicy> {
      const found = await this.get(modelId);
      if (found) return found;
      await db.insert(rollouts).values({ modelId, policy: defaultPolicy(newSalt()), updatedAt: now, updatedBy: 'system' }).onConflictDoNothing();
      return (await this.get(modelId))!;
    },
    /**
     * Store `next` (its `rev` is set to the read one + 1) if the stored policy still has revision
     * `next.rev`; false when someone wrote in between (read again and redo the change).
     */
    async write(modelId: number, next: RolloutPolicy, actor: string, now: number): Promise<RolloutPolicy | undefined> {
      const policy = { ...next, rev: next.rev + 1 };
      const rows = await db
        .update(rollouts)
        .set({ policy, updatedAt: now, updatedBy: actor })
        .where(and(eq(rollouts.modelId, modelId), sql`json_extract(${rollouts.policy}, '$.rev') = ${next.rev}`))
        .returning({ modelId: rollouts.modelId });
      return rows.length === 1 ? policy : undefined;
    },
    /** Rollouts whose split is live (running or paused), with their model: what a tick looks at. */
    async listLive(): Promise<Array<{ modelId: number; projectId: string; model: string; policy: RolloutPolicy }>> {
      const rows = await db
        .select({ modelId: rollouts.modelId, projectId: models.projectId, model: models.name, policy: rollouts.policy })
        .from(rollouts)
        .innerJoin(models, eq(models.id, rollouts.modelId))
        .where(sql`json_extract(${rollouts.policy}, '$.state') in ('running', 'paused')`);
      return rows.map((r) => ({ ...r, policy: parse(r.policy) }));
    },
  };
}
export type RolloutStore = ReturnType<typeof createRolloutStore>;
