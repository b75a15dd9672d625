/**
 * A random UUID v4. `crypto.randomUUID` exists only in secure contexts (https, localhost); an app
 * served over plain http on a LAN still has `getRandomValues`.
 */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
