import { describe, expect, test, vi } from 'vitest';
import { createIdSource, randomId } from './random-id.ts';

describe('record ids', () => {
  test('one source never repeats an id, and two sources share none', () => {
    const a = createIdSource();
    const b = createIdSource();
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      ids.add(a());
      ids.add(b());
    }
    expect(ids.size).toBe(20_000);
  });

  test('ids fit the wire contract (8 to 64 characters)', () => {
    const next = createIdSource();
    for (let i = 0; i < 3; i++) next();
    const id = next();
    expect(id).toMatch(/^[0-9a-f]{32}\.3$/);
    expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('outside a secure context (no WebCrypto) it says what the SDK needs', () => {
    vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b });
    try {
      expect(() => createIdSource()).toThrow(/secure context \(https, or http on localhost\)/);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(randomId()).toHaveLength(36);
  });
});
