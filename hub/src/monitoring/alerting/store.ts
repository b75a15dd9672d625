import { and, desc, eq, inArray, isNotNull, isNull, lt, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { alertEvents, alertRules, retrainTriggers } from '../../db/schema.ts';
import type { AlertState, Comparator } from './rules.ts';

export type AlertRule = typeof alertRules.$inferSelect & { comparator: Comparator; state: AlertState };
export type AlertEvent = typeof alertEvents.$inferSelect;
export type RetrainTrigger = typeof retrainTriggers.$inferSelect;
/** An event as the API, CLI and console show it: with its rule's name, without the webhook body. */
export type AlertEventView = Omit<AlertEvent, 'payload'> & { rule: string };

export function createAlertStore(db: Db) {
  const ruleWhere = (projectId: string, model: string, name: string) => and(eq(alertRules.projectId, projectId), eq(alertRules.model, model), eq(alertRules.name, name));
  return {
    async insertRule(rule: typeof alertRules.$inferInsert): Promise<AlertRule> {
      const [row] = await db.insert(alertRules).values(rule).onConflictDoNothing().returning();
      return row as AlertRule;
    },
    async listRules(projectId: string, model?: string): Promise<AlertRule[]> {
      const where = model === undefined ? eq(alertRules.projectId, projectId) : and(eq(alertRules.projectId, projectId), eq(alertRules.model, model));
      return (await db.select().from(alertRules).where(where).orderBy(alertRules.id)) as AlertRule[];
    },
    async enabledRules(): Promise<AlertRule[]> {
      return (await db.select().from(alertRules).where(eq(alertRules.enabled, true)).orderBy(alertRules.id)) as AlertRule[];
    },
    async getRule(projectId: string, model: string, name: string): Promise<AlertRule | undefined> {
      return (await db.select().from(alertRules).where(ruleWhere(projectId, model, name)))[0] as AlertRule | undefined;
    },
    async updateRule(id: number, set: Partial<typeof alertRules.$inferInsert>): Promise<void> {
      await db.update(alertRules).set(set).where(eq(alertRules.id, id));
    },
    /**
     * Moves a rule on from the state an evaluation read, only if no other evaluation (the tick and
     * a manual `evaluate` may overlap) moved it first: false when it lost, so that a firing is
     * recorded, delivered and turned into a retraining trigger once.
     */
    async advanceRule(id: number, from: { state: string; since: number | null }, set: Partial<typeof alertRules.$inferInsert>): Promise<boolean> {
      const rows = await db
        .update(alertRules)
        .set(set)
        .where(and(eq(alertRules.id, id), eq(alertRules.state, from.state), from.since === null ? isNull(alertRules.since) : eq(alertRules.since, from.since)))
        .returning({ id: alertRules.id });
      return rows.length > 0;
    },
    /** A rule and its history go together; its retraining triggers stay (they name the rule). */
    async deleteRule(id: number): Promise<void> {
      await db.batch([
        db.update(retrainTriggers).set({ alertEventId: null }).where(inArray(retrainTriggers.alertEventId, db.select({ id: alertEvents.id }).from(alertEvents).where(eq(alertEvents.ruleId, id)))),
        db.delete(alertEvents).where(eq(alertEvents.ruleId, id)),
        db.delete(alertRules).where(eq(alertRules.id, id)),
      ]);
    },
    async addEvent(event: typeof alertEvents.$inferInsert): Promise<AlertEvent> {
      const [row] = await db.insert(alertEvents).values(event).returning();
      return row!;
    },
    /** How a delivery went: `attempts` made so far, and when the next is due (null: none). */
    async setDelivery(id: number, delivery: string, detail: string, attempts: number, nextAttemptAt: number | null): Promise<void> {
      await db.update(alertEvents).set({ delivery, deliveryDetail: detail, attempts, nextAttemptAt }).where(eq(alertEvents.id, id));
    },
    /** Failed deliveries due again by `now`, oldest due first, with their rule's webhook. */
    async dueRedeliveries(now: number, limit: number) {
      return db
        .select({ id: alertEvents.id, payload: alertEvents.payload, attempts: alertEvents.attempts, nextAttemptAt: alertEvents.nextAttemptAt, webhookUrl: alertRules.webhookUrl, webhookSecret: alertRules.webhookSecret })
        .from(alertEvents)
        .innerJoin(alertRules, eq(alertRules.id, alertEvents.ruleId))
        .where(and(isNotNull(alertEvents.nextAttemptAt), lte(alertEvents.nextAttemptAt, now)))
        .orderBy(alertEvents.nextAttemptAt)
        .limit(limit);
    },
    /**
     * Takes a due redelivery for this caller, by compare-and-set on its due time, so that two ticks
     * at once (two hub processes on one database) deliver it once: false when another took it
     * first. It is due again at `leaseUntil`, should this caller die before it records the outcome.
     */
    async claimRedelivery(id: number, due: number, leaseUntil: number): Promise<boolean> {
      const rows = await db
        .update(alertEvents)
        .set({ delivery: 'pending', nextAttemptAt: leaseUntil })
        .where(and(eq(alertEvents.id, id), eq(alertEvents.nextAttemptAt, due)))
        .returning({ id: alertEvents.id });
      return rows.length > 0;
    },
    async listEvents(projectId: string, model: string, page: { before?: number | undefined; limit: number }): Promise<AlertEventView[]> {
      return db
        .select({ ...alertEventsColumns, rule: alertRules.name })
        .from(alertEvents)
        .innerJoin(alertRules, eq(alertRules.id, alertEvents.ruleId))
        .where(and(eq(alertEvents.projectId, projectId), eq(alertEvents.model, model), page.before === undefined ? undefined : lt(alertEvents.id, page.before)))
        .orderBy(desc(alertEvents.id))
        .limit(page.limit);
    },
    async addTrigger(trigger: typeof retrainTriggers.$inferInsert): Promise<RetrainTrigger> {
      const [row] = await db.insert(retrainTriggers).values(trigger).returning();
      return row!;
    },
    async listTriggers(projectId: string, model: string, limit: number): Promise<RetrainTrigger[]> {
      return db.select().from(retrainTriggers).where(and(eq(retrainTriggers.projectId, projectId), eq(retrainTriggers.model, model))).orderBy(desc(retrainTriggers.id)).limit(limit);
    },
    /** Rules that guard rollouts and are firing now, for a model: what the rollout tick checks. */
    async firingGuards(projectId: string, model: string): Promise<AlertRule[]> {
      return (await db
        .select()
        .from(alertRules)
        .where(and(eq(alertRules.projectId, projectId), eq(alertRules.model, model), eq(alertRules.guardRollout, true), eq(alertRules.enabled, true), eq(alertRules.state, 'firing')))) as AlertRule[];
    },
  };
}
export type AlertStore = ReturnType<typeof createAlertStore>;

const alertEventsColumns = {
  id: alertEvents.id,
  ruleId: alertEvents.ruleId,
  projectId: alertEvents.projectId,
  model: alertEvents.model,
  kind: alertEvents.kind,
  value: alertEvents.value,
  delivery: alertEvents.delivery,
  deliveryDetail: alertEvents.deliveryDetail,
  attempts: alertEvents.attempts,
  nextAttemptAt: alertEvents.nextAttemptAt,
  createdAt: alertEvents.createdAt,
};
