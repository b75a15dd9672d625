import { OutpostError } from '@outpost/shared';

/**
 * A random UUID v4. WebCrypto exists only in secure contexts (https, localhost), and the SDK cannot
 * work without it (it checks every model's signature with it): outside one, this says so at once.
 */
export function randomId(): string {
  if (!globalThis.crypto?.subtle) throw new OutpostError('MODEL_UNAVAILABLE', 'Outpost needs a secure context (https, or http on localhost): it checks model signatures with WebCrypto');
  return crypto.randomUUID();
}

/**
 * Unique ids for prediction records, cheaply: 128 random bits drawn once per source (the hex of a
 * UUID v4 without dashes), then a counter. A UUID per prediction costs about 2 µs in Chromium, a
 * quarter of what `predict()` adds to the model's run; this costs a string concatenation. Ids stay
 * unique across devices and page loads (a fresh random prefix per client) and within one (the
 * counter), which is all the hub's de-duplication needs.
 * @example const nextId = createIdSource(); nextId() // '3f0c…9ab2.0', then '3f0c…9ab2.1'
 */
export function createIdSource(): () => string {
  const prefix = `${randomId().replace(/-/g, '')}.`;
  let n = 0;
  return () => prefix + (n++).toString(36);
}
