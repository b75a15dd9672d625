import { devicePaths, type IngestBatch } from '@outpost/shared';
import { describeFailure, hubRequest, type HubEndpoint } from '../http.ts';
import { parseRetryAfter } from './backoff.ts';

/** What became of one upload, already sorted into what the sync loop does next. */
export type SendOutcome =
  /** 2xx: the hub has every record of the batch (duplicates included); remove them. */
  | { kind: 'sent'; accepted: number; duplicates: number }
  /** 413: the body was too big; split the batch. */
  | { kind: 'too-large' }
  /**
   * Network error, 401/403, 408, 429, 5xx (or anything else odd): keep the batch and back off.
   * A refused project key is a configuration fault that an app update fixes: the records wait for it.
   */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** Any other 4xx (the batch itself is bad): sending it again cannot succeed; quarantine it. */
  | { kind: 'rejected'; status: number; error: string };

export interface SyncTransport {
  /**
   * Upload one batch. Never rejects: every failure is an outcome. `keepalive` lets the request
   * outlive the page (its body must stay under the browser's 64 KiB keepalive quota).
   */
  send(batch: IngestBatch, options?: { keepalive?: boolean }): Promise<SendOutcome>;
}

/**
 * Upload batches to the hub's ingest endpoint with fetch.
 * @example const transport = createFetchTransport({ hubUrl, projectKey, fetch }, Date.now);
 */
export function createFetchTransport(hub: HubEndpoint, now: () => number): SyncTransport {
  return {
    async send(batch, options = {}) {
      let response: Response;
      try {
        response = await hubRequest(hub, devicePaths.inferences, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch),
          ...(options.keepalive ? { keepalive: true } : {}),
        });
      } catch (e) {
        return { kind: 'retry', error: `network: ${e instanceof Error ? e.message : String(e)}` };
      }
      const { status } = response;
      if (status >= 200 && status < 300) {
        const json: unknown = await response.json().catch(() => undefined);
        // A chunk of its own (import()): the core stays small. A 2xx means stored, even if the body
        // is not what we expect, or the check cannot be fetched.
        const body = await import('@outpost/shared/wire-check').then((m) => m.checkIngestResult(json), () => ({ ok: false }) as const);
        return body.ok ? { kind: 'sent', accepted: body.value.accepted, duplicates: body.value.duplicates } : { kind: 'sent', accepted: batch.records.length, duplicates: 0 };
      }
      if (status === 413) return { kind: 'too-large' };
      const error = await describeFailure(response);
      const keep = status === 401 || status === 403 || status === 408 || status === 429;
      if (status >= 400 && status < 500 && !keep) return { kind: 'rejected', status, error };
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
      return retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs };
    },
  };
}
