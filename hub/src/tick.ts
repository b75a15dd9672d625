import type { HubDeps } from './deps.ts';
import { createAlertService } from './monitoring/alerting/service.ts';
import { createRolloutService } from './rollout/service.ts';

/**
 * The hub's periodic work (the Node interval, the Workers cron): alert rules first, so a rule that
 * guards rollouts and fires now rolls its rollout back in the same tick; then live rollouts; then
 * the alert webhooks due again (last: a receiver that is down must not hold up a rollback).
 * @example startRolloutTicker(createPeriodicTick(deps), 60_000)
 */
export function createPeriodicTick(deps: HubDeps) {
  const alerts = createAlertService(deps);
  const rollouts = createRolloutService(deps);
  return {
    async tick() {
      // Rules fail one by one inside alerts.tick; this catches what fails before them (listing the
      // rules), so that rollouts are still evaluated, on the guards' last known state.
      await alerts.tick().catch((e: unknown) => console.error('alert tick failed', e));
      try {
        return await rollouts.tick();
      } finally {
        await alerts.redeliver().catch((e: unknown) => console.error('alert webhook redelivery failed', e));
      }
    },
  };
}
