import type { RawValue } from '@outpost/shared';

/**
 * Turn a value from a columnar reader (hyparquet, apache-arrow) into a RawValue:
 * - null/undefined → null;
 * - bigint → number when it is a safe integer, else its decimal string (no silent precision loss);
 * - Date → ISO 8601 string (an invalid Date → null);
 * - Uint8Array (binary) → base64 string, so a binary column reads as an opaque categorical;
 * - anything nested (list, struct, map, JSON, variant, geometry, typed array) → a JSON string of it,
 *   with the same rules applied inside (bigint, Date, binary as above).
 * @example toRawValue(2n ** 60n) // '1152921504606846976'
 */
export function toRawValue(v: unknown): RawValue {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'bigint':
      return bigintValue(v);
    case 'undefined':
      return null;
    case 'object':
      if (v === null) return null;
      if (v instanceof Date) return isoOrNull(v);
      if (v instanceof Uint8Array) return toBase64(v);
      return JSON.stringify(v, jsonReplacer);
    default:
      return String(v);
  }
}

function bigintValue(v: bigint): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v.toString();
}

function isoOrNull(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

// JSON.stringify calls toJSON (Date, Arrow rows and vectors) before the replacer sees a value.
function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return bigintValue(v);
  if (v instanceof Uint8Array) return toBase64(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>);
  if (v instanceof Map) return Object.fromEntries(v);
  return v;
}

/** Standard base64 (RFC 4648 §4) without Buffer, which Workers lack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000; // stay well under the engine's argument limit
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
