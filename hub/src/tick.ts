import type { HubDeps } from './deps.ts';
import { createAlertService } from './monitoring/alerting/service.ts';
import { createRolloutService } from './rollout/service.ts';

/**
 * The hub's periodic work (the Node interval, the Workers cron): alert rules first, so a rule that
 * guards rollouts and fires now rolls its rollout back in the same tick; then live rollouts.
 * @example startRolloutTicker(createPeriodicTick(deps), 60_000)
 */
export function createPeriodicTick(deps: HubDeps) {
  const alerts = createAlertService(deps);
  const rollouts = createRolloutService(deps);
  return {
    async tick() {
      await alerts.tick();
      return rollouts.tick();
    },
  };
}
