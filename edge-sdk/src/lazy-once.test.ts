import { expect, test } from 'vitest';
import { lazyOnce } from './lazy-once.ts';

test('loads once, shared while pending and after; a rejection is forgotten and the next call retries', async () => {
  let calls = 0;
  let fail = true;
  const load = lazyOnce(async () => {
    calls++;
    if (fail) throw new Error('offline');
    return calls;
  });
  await expect(Promise.all([load(), load()])).rejects.toThrow('offline');
  expect(calls).toBe(1);
  fail = false;
  expect(await Promise.all([load(), load()])).toEqual([2, 2]);
  expect(await load()).toBe(2);
  expect(calls).toBe(2);
});
