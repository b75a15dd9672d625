import { describe, expect, test } from 'vitest';
import { createInputSlab } from './input-slab.ts';

describe('createInputSlab', () => {
  test('hands out zeroed inputs of the width that never overlap, in a new slab once one is spent', () => {
    const next = createInputSlab(10);
    const inputs = Array.from({ length: 1000 }, () => next());
    inputs.forEach((x, i) => x.fill(i + 1));
    // Each still holds what was written to it: no region was handed out twice.
    inputs.forEach((x, i) => expect([x.length, x[0], x[9]]).toEqual([10, i + 1, i + 1]));
    expect(new Set(inputs.map((x) => x.buffer)).size).toBe(Math.ceil(1000 / Math.floor(4096 / 10)));
    expect([...next()]).toEqual(new Array(10).fill(0));
  });

  test('an input wider than a quarter slab gets a buffer of its own', () => {
    const x = createInputSlab(1025)();
    expect([x.length, x.byteOffset, x.buffer.byteLength]).toEqual([1025, 0, 4100]);
  });
});
