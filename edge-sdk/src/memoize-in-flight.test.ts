import { expect, test } from 'vitest';
import { memoizeInFlight } from './memoize-in-flight.ts';

test('callers share one in-flight call per key; a settled call is forgotten', async () => {
  let calls = 0;
  const load = memoizeInFlight((key: string) => key, async (key: string) => `${key}:${++calls}`);
  const [a, b, c] = await Promise.all([load('x'), load('x'), load('y')]);
  expect([a, b, c]).toEqual(['x:1', 'x:1', 'y:2']);
  expect(await load('x')).toBe('x:3');
});

test('a failure is shared by the callers in flight, then forgotten so a retry runs', async () => {
  let calls = 0;
  const load = memoizeInFlight(() => 'k', async () => {
    if (++calls === 1) throw new Error('offline');
    return 'ok';
  });
  const results = await Promise.allSettled([load(), load()]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect(await load()).toBe('ok');
  expect(calls).toBe(2);
});
