import { z } from '@hono/zod-openapi';
import { OutpostError } from '@outpost/shared';

export const DAY = 86_400_000;
/** Most buckets one time series may have. */
export const MAX_BUCKETS = 1000;

/**
 * A monitoring query's window: `to` defaults to now and `from` to `spanMs` before it; refused with
 * VALIDATION_FAILED naming `from` when it is not before `to` or the window is longer than
 * `maxSpanMs`, naming `bucket` when `bucketMs` would cut it into more than MAX_BUCKETS.
 * @example const { from, to } = windowOf(c.req.valid('query'), deps.clock(), { spanMs: DAY });
 */
export function windowOf(q: { from?: number | undefined; to?: number | undefined }, now: number, o: { spanMs: number; maxSpanMs?: number; bucketMs?: number }): { from: number; to: number } {
  const to = q.to ?? now;
  const from = q.from ?? to - o.spanMs;
  if (from >= to) throw new OutpostError('VALIDATION_FAILED', `from (${from}) must be before to (${to})`, { issues: [{ path: 'from', message: 'must be before to' }] });
  if (o.maxSpanMs !== undefined && to - from > o.maxSpanMs) {
    throw new OutpostError('VALIDATION_FAILED', `a window of at most ${Math.round(o.maxSpanMs / DAY)} days: from is ${Math.round((to - from) / DAY)} days before to`, { issues: [{ path: 'from', message: `window over ${Math.round(o.maxSpanMs / DAY)} days` }] });
  }
  if (o.bucketMs !== undefined && (to - from) / o.bucketMs > MAX_BUCKETS) {
    throw new OutpostError('VALIDATION_FAILED', `at most ${MAX_BUCKETS} buckets: use a bucket of at least ${Math.ceil((to - from) / MAX_BUCKETS)} ms`, { issues: [{ path: 'bucket', message: `at most ${MAX_BUCKETS} buckets` }] });
  }
  return { from, to };
}

/**
 * The query fields of a window, `from` and `to`, for a route's schema; `span` says the default
 * window in words.
 * @example query: z.object({ ...windowQuery('24 h'), version: … })
 */
export function windowQuery(span: string) {
  return {
    from: z.coerce.number().int().nonnegative().optional().openapi({ description: `Window start, epoch ms (default: ${span} before \`to\`)` }),
    to: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Window end, epoch ms, exclusive (default: now)' }),
  };
}

/** The query field of a time series' bucket, `bucket` (ms, at least a minute), for a route's schema. */
export function bucketQuery(defaultMs: number, inWords: string) {
  return { bucket: z.coerce.number().int().min(60_000).default(defaultMs).openapi({ description: `Time-series bucket, ms (default ${inWords}; at most ${MAX_BUCKETS} buckets)` }) };
}
