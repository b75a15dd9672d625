import type { RolloutService } from './service.ts';

/** How often the Node hub evaluates live rollouts, by default (`OUTPOST_ROLLOUT_TICK_MS`). */
export const DEFAULT_ROLLOUT_TICK_MS = 60_000;

/**
 * Evaluate every live rollout every `intervalMs` (the Node hub; Workers use a cron trigger). The
 * timer is unref'd, so it never keeps a process (or a test) alive, and ticks never overlap.
 * @example const ticker = startRolloutTicker(createRolloutService(deps), 60_000); … ticker.stop();
 */
export function startRolloutTicker(service: Pick<RolloutService, 'tick'>, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = service
      .tick()
      .catch((e: unknown) => console.error('rollout tick failed', e))
      .finally(() => (running = undefined));
  }, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
