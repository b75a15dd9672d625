import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../../deps.ts';
import { createRegistryStore } from '../../registry/store.ts';
import { METRICS } from './metrics.ts';
import { next, type Comparator } from './rules.ts';
import { createAlertStore, type AlertRule } from './store.ts';
import { deliverWebhook } from './webhook.ts';

export interface RuleInput {
  name: string;
  metric: string;
  params: Record<string, string | number>;
  comparator: Comparator;
  threshold: number;
  forMs: number;
  windowMs: number;
  webhookUrl?: string | null | undefined;
  retrain: boolean;
  guardRollout: boolean;
  enabled: boolean;
}

const SYSTEM = 'system';
const HOUR = 3_600_000;

/**
 * When a failed webhook delivery is made again, after the first, second…: some 35 hours of
 * retries in all, seven deliveries of two tries each. The periodic tick (each minute) makes them.
 */
export const REDELIVERY_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * HOUR, 8 * HOUR, 24 * HOUR];
/** How long a claimed redelivery waits for its outcome before another tick may make it (it takes at most 2 × 5 s). */
const REDELIVERY_LEASE_MS = 5 * 60_000;
/** Redeliveries one tick makes at most (each may wait 2 × 5 s for its receiver). */
const REDELIVERIES_PER_TICK = 10;

/** When the delivery after `attempts` failed ones is due; null when they are spent. */
const nextAttemptAfter = (attempts: number, now: number): number | null => {
  const wait = REDELIVERY_MS[attempts - 1];
  return wait === undefined ? null : now + wait;
};

/** A rule as the API shows it: never its webhook secret. */
export function ruleView(r: AlertRule) {
  const { webhookSecret, projectId: _p, ...rest } = r;
  return { ...rest, hasWebhook: webhookSecret !== null };
}

function checkRule(input: Pick<RuleInput, 'metric' | 'params' | 'webhookUrl'>): void {
  const def = METRICS[input.metric];
  if (!def) throw new OutpostError('VALIDATION_FAILED', `unknown metric "${input.metric}": use one of ${Object.keys(METRICS).join(', ')}`, { issues: [{ path: 'metric', message: `one of ${Object.keys(METRICS).join(', ')}` }] });
  for (const [name, p] of Object.entries(def.params)) {
    if (p.required && input.params[name] === undefined) throw new OutpostError('VALIDATION_FAILED', `metric ${input.metric} needs params.${name}: ${p.description}`, { issues: [{ path: `params.${name}`, message: 'required' }] });
  }
  for (const name of Object.keys(input.params)) {
    if (!def.params[name]) throw new OutpostError('VALIDATION_FAILED', `metric ${input.metric} takes no params.${name}${Object.keys(def.params).length ? ` (it takes ${Object.keys(def.params).join(', ')})` : ''}`, { issues: [{ path: `params.${name}`, message: 'unknown param' }] });
  }
  if (input.webhookUrl) {
    let url: URL | undefined;
    try {
      url = new URL(input.webhookUrl);
    } catch {
      url = undefined;
    }
    // Plain http only to this machine (a receiver beside the hub, or a test); elsewhere the body and its signature need TLS.
    const local = url && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && local))) {
      throw new OutpostError('VALIDATION_FAILED', `webhookUrl must be an https URL (http only to localhost): got ${input.webhookUrl}`, { issues: [{ path: 'webhookUrl', message: 'https URL, or http to localhost' }] });
    }
  }
}

const randomSecret = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/**
 * Alert rules on a model's monitoring metrics: their management, and their evaluation on the hub's
 * periodic tick (the Node interval, the Workers cron), which fires and resolves them, sends their
 * signed webhooks and records retraining triggers. Rules that guard rollouts are read by the
 * rollout tick (rollout/service.ts), which runs after this one.
 */
export function createAlertService(deps: HubDeps, fetcher: typeof fetch = (input, init) => fetch(input, init)) {
  const store = createAlertStore(deps.db);
  const registry = createRegistryStore(deps.db);

  async function requireRule(project: string, model: string, name: string): Promise<AlertRule> {
    const rule = await store.getRule(project, model, name);
    if (!rule) throw new OutpostError('NOT_FOUND', `model ${model} has no alert rule "${name}"`, { issues: [{ path: 'name', message: 'not found' }] });
    return rule;
  }

  /** The JSON a rule's webhook POSTs for an event (docs/monitoring.md). */
  const payloadOf = (rule: AlertRule, kind: 'firing' | 'resolved', value: number | null, now: number, cause: string | undefined) =>
    JSON.stringify({
      event: `alert.${kind}`,
      project: rule.projectId,
      model: rule.model,
      rule: { id: rule.id, name: rule.name, metric: rule.metric, params: rule.params, comparator: rule.comparator, threshold: rule.threshold },
      value,
      at: now,
      ...(cause === undefined ? {} : { reason: cause }),
    });

  /**
   * A rule fired or resolved: its alert event, its audit entry, for a firing that retrains its
   * trigger, and its signed webhook. `cause`: why a resolution came other than from the metric.
   * The event is due for redelivery from the start (after a lease), so a hub that dies while it
   * delivers leaves it to a later tick.
   */
  async function emit(rule: AlertRule, kind: 'firing' | 'resolved', value: number | null, now: number, cause?: string) {
    const webhook = rule.webhookUrl && rule.webhookSecret ? { url: rule.webhookUrl, secret: rule.webhookSecret, body: payloadOf(rule, kind, value, now, cause) } : undefined;
    const event = await store.addEvent({ ruleId: rule.id, projectId: rule.projectId, model: rule.model, kind, value, delivery: webhook ? 'pending' : 'none', payload: webhook?.body ?? null, nextAttemptAt: webhook ? now + REDELIVERY_LEASE_MS : null, createdAt: now });
    const what = `${rule.metric}${Object.keys(rule.params).length ? ` ${JSON.stringify(rule.params)}` : ''} = ${value} ${rule.comparator} ${rule.threshold}`;
    await registry.audit({ projectId: rule.projectId, model: rule.model, actor: SYSTEM, action: `alert.${kind}`, detail: { rule: rule.name, metric: rule.metric, params: rule.params, value, threshold: rule.threshold }, reason: kind === 'firing' ? what : (cause ?? null) }, now);
    if (kind === 'firing' && rule.retrain) {
      const reason = `alert "${rule.name}" fired: ${what}`;
      const trigger = await store.addTrigger({ projectId: rule.projectId, model: rule.model, alertEventId: event.id, status: 'recorded', reason, createdAt: now });
      await registry.audit({ projectId: rule.projectId, model: rule.model, actor: SYSTEM, action: 'alert.retrain', detail: { rule: rule.name, trigger: trigger.id, alertEvent: event.id, status: trigger.status }, reason }, now);
    }
    if (webhook) {
      const d = await deliverWebhook(webhook.url, webhook.secret, webhook.body, `alert-event-${event.id}`, now, fetcher);
      await store.setDelivery(event.id, d.delivery, d.detail, 1, d.delivery === 'failed' ? nextAttemptAfter(1, now) : null);
    }
  }

  /**
   * Make the failed deliveries that are due again: the same body and delivery id (a receiver that
   * got an earlier one can tell), signed anew (the signature's time must be fresh).
   */
  async function redeliver(now: number, onError: (event: number, e: unknown) => void) {
    for (const due of await store.dueRedeliveries(now, REDELIVERIES_PER_TICK)) {
      try {
        if (due.nextAttemptAt === null || !(await store.claimRedelivery(due.id, due.nextAttemptAt, now + REDELIVERY_LEASE_MS))) continue;
        if (!due.webhookUrl || !due.webhookSecret || due.payload === null) {
          await store.setDelivery(due.id, 'failed', 'not sent again: the rule has no webhook', due.attempts, null);
          continue;
        }
        const attempts = due.attempts + 1;
        const d = await deliverWebhook(due.webhookUrl, due.webhookSecret, due.payload, `alert-event-${due.id}`, now, fetcher);
        await store.setDelivery(due.id, d.delivery, d.detail, attempts, d.delivery === 'failed' ? nextAttemptAfter(attempts, now) : null);
      } catch (e) {
        onError(due.id, e);
      }
    }
  }

  /** `memo`: shared by the rules of one evaluation pass (they share its `now`, so equal windows share a drift report). */
  async function evaluate(rule: AlertRule, now: number, memo: Map<string, Promise<unknown>>) {
    const def = METRICS[rule.metric];
    let value: number | null = null;
    let error: string | undefined;
    try {
      value = def ? await def.source(deps)({ project: rule.projectId, model: rule.model, params: rule.params, from: now - rule.windowMs, to: now, memo }) : null;
    } catch (e) {
      // A version deleted, a reference missing…: the rule keeps its state and says why.
      error = e instanceof Error ? e.message : String(e);
    }
    const step = next({ state: rule.state, since: rule.since }, { value, comparator: rule.comparator, threshold: rule.threshold, forMs: rule.forMs }, now);
    const won = await store.advanceRule(rule.id, { state: rule.state, since: rule.since }, { state: step.state, since: step.since, lastValue: value, lastEvaluatedAt: now });
    // Lost to an overlapping evaluation: that one moved the rule and owns the event, if any.
    if (!won) return { name: rule.name, model: rule.model, state: step.state, value, event: null, ...(error ? { error } : {}) };
    if (step.event) await emit(rule, step.event, value, now);
    return { name: rule.name, model: rule.model, state: step.state, value, event: step.event, ...(error ? { error } : {}) };
  }

  return {
    requireRule,

    async create(project: string, model: string, input: RuleInput, actor: string) {
      checkRule(input);
      await registry.requireModel(project, model);
      const secret = input.webhookUrl ? randomSecret() : null;
      const now = deps.clock();
      const rule = await store.insertRule({ projectId: project, model, ...input, webhookUrl: input.webhookUrl ?? null, webhookSecret: secret, state: 'ok', since: null, createdBy: actor, createdAt: now });
      if (!rule) throw new OutpostError('CONFLICT', `model ${model} already has an alert rule "${input.name}"`, { issues: [{ path: 'name', message: 'taken' }] });
      await registry.audit({ projectId: project, model, actor, action: 'alert.create', detail: { rule: input.name, metric: input.metric, params: input.params, comparator: input.comparator, threshold: input.threshold, retrain: input.retrain, guardRollout: input.guardRollout } }, now);
      return { rule: ruleView(rule), ...(secret ? { webhookSecret: secret } : {}) };
    },

    async update(project: string, model: string, name: string, change: Partial<Omit<RuleInput, 'name' | 'webhookUrl'>>, actor: string) {
      const rule = await requireRule(project, model, name);
      const merged = { ...rule, ...change };
      checkRule({ metric: merged.metric, params: merged.params, webhookUrl: null });
      // A changed condition starts over: its pending time was measured against the old one.
      const reset = change.metric !== undefined || change.params !== undefined || change.comparator !== undefined || change.threshold !== undefined || change.enabled === false;
      const now = deps.clock();
      // A firing rule that starts over (disabled, or its condition changed) resolves, so whoever its
      // webhook paged hears that it stopped; by compare-and-set, as an evaluation moves it, so that
      // one of them records the resolution. Under a changed condition it may fire again.
      const resolves = reset && rule.state === 'firing' && (await store.advanceRule(rule.id, { state: rule.state, since: rule.since }, { state: 'ok', since: null }));
      await store.updateRule(rule.id, { ...change, ...(reset ? { state: 'ok', since: null } : {}) });
      await registry.audit({ projectId: project, model, actor, action: 'alert.update', detail: { rule: name, ...change } }, now);
      if (resolves) await emit(rule, 'resolved', rule.lastValue, now, change.enabled === false ? 'rule disabled' : 'rule changed');
      return ruleView(await requireRule(project, model, name));
    },

    async remove(project: string, model: string, name: string, actor: string) {
      const rule = await requireRule(project, model, name);
      const now = deps.clock();
      await store.deleteRule(rule.id);
      // A firing rule that goes resolves, as a disabled one does; its events go with it, so how the
      // webhook went is kept in the audit entry.
      const resolved =
        rule.enabled && rule.state === 'firing' && rule.webhookUrl && rule.webhookSecret
          ? await deliverWebhook(rule.webhookUrl, rule.webhookSecret, payloadOf(rule, 'resolved', rule.lastValue, now, 'rule deleted'), `alert-rule-${rule.id}-deleted`, now, fetcher)
          : undefined;
      await registry.audit({ projectId: project, model, actor, action: 'alert.delete', detail: { rule: name, ...(resolved ? { resolvedWebhook: `${resolved.delivery}: ${resolved.detail}` } : {}) } }, now);
    },

    get: async (project: string, model: string, name: string) => ruleView(await requireRule(project, model, name)),
    list: async (project: string, model: string) => (await store.listRules(project, model)).map(ruleView),
    events: (project: string, model: string, page: { before?: number | undefined; limit: number }) => store.listEvents(project, model, page),
    triggers: (project: string, model: string, limit: number) => store.listTriggers(project, model, limit),

    /** Evaluate one model's enabled rules now. */
    async evaluateModel(project: string, model: string) {
      const now = deps.clock();
      const out = [];
      const memo = new Map<string, Promise<unknown>>();
      for (const rule of await store.listRules(project, model)) if (rule.enabled) out.push(await evaluate(rule, now, memo));
      return out;
    },

    /** Every enabled rule (the periodic tick); one rule's failure does not stop the others. */
    async tick(onError: (rule: string, e: unknown) => void = (r, e) => console.error(`alert rule ${r} failed`, e)) {
      const now = deps.clock();
      const memo = new Map<string, Promise<unknown>>();
      for (const rule of await store.enabledRules()) {
        try {
          await evaluate(rule, now, memo);
        } catch (e) {
          onError(`${rule.projectId}/${rule.model}/${rule.name}`, e);
        }
      }
    },

    /**
     * The webhook deliveries due again (the periodic tick, after the rollouts: a receiver that is
     * down can hold each for 2 × 5 s). One's failure does not stop the others.
     */
    redeliver: (onError: (event: number, e: unknown) => void = (id, e) => console.error(`webhook redelivery of alert event ${id} failed`, e)) => redeliver(deps.clock(), onError),
  };
}
export type AlertService = ReturnType<typeof createAlertService>;
