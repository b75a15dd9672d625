import { describe, expect, it } from 'vitest';
import { startRolloutTicker } from './ticker.ts';

describe('rollout ticker', () => {
  it('ticks on its interval, never two at once, and stop waits for the tick in flight', async () => {
    let ticks = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let release: () => void = () => {};
    const service = {
      tick: async () => {
        ticks++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((r) => (release = r));
        inFlight--;
        return [];
      },
    };
    const ticker = startRolloutTicker(service, 5);
    await new Promise((r) => setTimeout(r, 40));
    expect(ticks).toBe(1); // the first tick is still running: later intervals skip
    let stopped = false;
    const stopping = ticker.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await new Promise((r) => setTimeout(r, 20));
    expect(ticks).toBe(1);
    expect(maxInFlight).toBe(1);
  });

  it('keeps ticking after a failed tick', async () => {
    let ticks = 0;
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const ticker = startRolloutTicker({ tick: async () => { ticks++; throw new Error('db down'); } }, 5);
      await new Promise((r) => setTimeout(r, 60));
      await ticker.stop();
    } finally {
      console.error = original;
    }
    expect(ticks).toBeGreaterThan(2);
    expect(errors.length).toBe(ticks);
  });
});
