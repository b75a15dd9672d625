import type { InferenceRecord } from '@outpost/shared';
import type { Clock } from '../clock.ts';
import type { BufferSize } from '../log-buffer/types.ts';
import { createWriteBehind, WRITE_BATCH_RECORDS } from '../log-buffer/write-behind.ts';
import type { ClientStorage } from '../storage/open-storage.ts';
import { fitBatch, uploadOf } from './batch.ts';
import type { Syncer } from './syncer.ts';
import { lazyOnce } from '../lazy-once.ts';
import type { SyncTransport } from './transport.ts';

/**
 * Bounds of the log queue. 5 MiB is some 12,000 records of a typical 400 bytes (days of steady
 * use offline), small beside any origin's storage quota, which the model's cache shares. 7 days
 * covers a long weekend offline; a record older than that says little about the model running now.
 * @example createOutpost({ ...options, maxQueueBytes: LOG_QUEUE_DEFAULTS.maxQueueBytes * 2 });
 */
export const LOG_QUEUE_DEFAULTS = { maxQueueBytes: 5 * 1024 * 1024, maxRecordAgeMs: 7 * 24 * 60 * 60 * 1000 } as const;

/**
 * Most body bytes of the upload sent with `keepalive` when the page is hidden: browsers allow
 * 64 KiB of keepalive bodies in flight per page, shared with other scripts' beacons.
 * https://fetch.spec.whatwg.org/#http-network-or-cache-fetch (step "keepalive": 64 KiB)
 */
export const KEEPALIVE_MAX_BYTES = 56 * 1024;

/** A queue over its byte bound is trimmed to this share of it. */
export const TRIM_LOW_WATER = 0.95;

/** A record to log; its `seq`, if given (say 0, so the object is born with the field), is overwritten. */
type Pending = Omit<InferenceRecord, 'seq'> & { seq?: number };

export interface LogPipelineStats {
  /** Records not yet accepted by the hub: in memory plus queued (as last counted). */
  pending: number;
  /** UTF-8 JSON bytes of the queued records (not counting those still in memory). */
  queueBytes: number;
  synced: number;
  /** By reason: `queue_full`, `expired`, `sampled`, `too_large`, `rejected_<status>`. */
  dropped: Record<string, number>;
  /** Records of refused batches kept for inspection (never retried). */
  quarantined: number;
  /** Epoch ms of the last upload the hub accepted. */
  lastSyncAt?: number;
  lastSyncError?: string;
  /** Age of the oldest record waiting for upload. */
  oldestRecordAgeMs?: number;
}

/** Inference records from `predict()` to the hub: memory → log buffer → upload. */
export interface LogPipeline {
  /**
   * Log a record (after sampling and redaction); assigns its sequence number. Synchronous:
   * persisting and uploading happen later. The pipeline takes the object over (and sets its `seq`):
   * pass a fresh one.
   */
  push(record: Pending): void;
  /** Take the next sequence number for a record the hub logs itself (server-side predictions). */
  nextSeq(): number;
  /** Persist everything pending and upload all buffered records now. Never rejects. */
  flush(): Promise<{ sent: number; pending: number }>;
  stats(): LogPipelineStats;
  /** Stop timers and listeners and persist what is pending. */
  close(): Promise<void>;
}

/** What the bounds keep while no upload has started. */
const NOTHING_IN_FLIGHT: ReadonlySet<string> = new Set();

export interface LogPipelineInput {
  storage: Pick<ClientStorage, 'logs' | 'meta' | 'deviceId' | 'seq'>;
  transport: SyncTransport;
  batchSize: number;
  flushIntervalMs: number;
  clock: Clock;
  lifecycleEvents: EventTarget | undefined;
  /** Default: LOG_QUEUE_DEFAULTS. */
  maxQueueBytes?: number;
  maxRecordAgeMs?: number;
  /** Sampling and redaction (createRecordPolicy): the record to log, or undefined. Default: all, as is. */
  recordPolicy?: (record: Pending) => Pending | undefined;
  /** Jitter source for backoff. Default: Math.random. */
  random?: () => number;
  /**
   * The start-up upkeep (a cursor walk over the queue) waits for this: the client's model start, whose
   * IndexedDB reads and session it would otherwise slow by a third. Default: none to wait for.
   */
  upkeepAfter?: Promise<unknown>;
}

/**
 * Wires the write-behind queue, the bounds, the syncer and the triggers. An upload is due
 * `flushIntervalMs` after records reach the buffer or the client starts with records left, again
 * every `flushIntervalMs` while records remain without a backoff, at the backoff deadline after a
 * failure, when the browser comes back `online`, and when the page is hidden or unloaded (the last
 * moment it surely runs: https://developer.chrome.com/docs/web-platform/page-lifecycle-api#advice-hidden).
 * Then records still only in memory also go out in one `keepalive` fetch; they stay queued until
 * an answer is seen, and the hub ignores record ids it already has.
 */
export function createLogPipeline(input: LogPipelineInput): LogPipeline {
  const { storage, clock, flushIntervalMs } = input;
  const maxQueueBytes = input.maxQueueBytes ?? LOG_QUEUE_DEFAULTS.maxQueueBytes;
  const maxRecordAgeMs = input.maxRecordAgeMs ?? LOG_QUEUE_DEFAULTS.maxRecordAgeMs;
  const policy = input.recordPolicy ?? ((r: Pending) => r);
  const buffer = storage.logs;
  const dropped: Record<string, number> = {};
  let seq = storage.seq;
  let persistedSeq = storage.seq;
  let seqWrite: Promise<void> = Promise.resolve();
  let size: BufferSize = { count: 0, bytes: 0, quarantined: 0 };
  let synced = 0;
  let lastSyncAt: number | undefined;
  let lastSyncError: string | undefined;
  let timer: { handle: unknown; dueAt: number } | undefined;
  let persistQueued = false;
  let closed = false;
  const beaconed = new WeakSet<InferenceRecord>();

  const countDrop = (reason: string, n: number) => {
    if (n > 0) dropped[reason] = (dropped[reason] ?? 0) + n;
  };
  const recordSent = (n: number) => {
    synced += n;
    lastSyncAt = clock.now();
  };
  const bufferFailed = (e: unknown) => {
    lastSyncError = `log buffer: ${e instanceof Error ? e.message : String(e)}`;
  };

  const persistSoon = () => {
    persistQueued = false;
    if (!closed) void writer.persist();
  };

  // The counter is saved before the records that use it: a crash in between leaves a visible
  // gap on the hub, never a reused number. Writes are chained so a smaller value never lands last.
  function saveSeq(upTo: number): Promise<void> {
    const write = seqWrite.then(async () => {
      if (upTo <= persistedSeq) return;
      await storage.meta.put('seq', upTo);
      persistedSeq = upTo;
    });
    seqWrite = write.catch(() => undefined);
    return write;
  }

  async function refresh(): Promise<void> {
    size = await buffer.size().catch((e: unknown) => (bufferFailed(e), size));
  }

  /**
   * Drop what is too old or over the byte bound (never what is being uploaded), counted. A full
   * queue is trimmed to TRIM_LOW_WATER of the bound, so at a steady rate it is trimmed once per
   * some hundreds of records rather than after every write.
   */
  async function enforceBounds(): Promise<void> {
    await refresh();
    const createdBefore = clock.now() - maxRecordAgeMs;
    const over = size.bytes > maxQueueBytes;
    if (!over && !(size.oldestCreatedAt !== undefined && size.oldestCreatedAt < createdBefore)) return;
    try {
      const maxBytes = over ? Math.floor(maxQueueBytes * TRIM_LOW_WATER) : maxQueueBytes;
      const { full, expired } = await buffer.trim({ maxBytes, createdBefore, keep: syncer?.inFlight ?? NOTHING_IN_FLIGHT });
      countDrop('queue_full', full);
      countDrop('expired', expired);
    } catch (e) {
      bufferFailed(e);
    }
    await refresh();
  }

  const writer = createWriteBehind({
    buffer,
    // Not the upload batch size: everything pending goes in one write, up to the cap.
    batchSize: WRITE_BATCH_RECORDS,
    beforeAppend: (batch) => saveSeq(batch[batch.length - 1]?.seq ?? 0),
    afterAppend: enforceBounds,
    onWritten: (n) => {
      size = { ...size, count: size.count + n }; // until enforceBounds counts again
      arm(flushIntervalMs);
    },
    onError: bufferFailed,
  });

  // The upload policy is a chunk of its own (import()), fetched at the first upload: a start from
  // the cache predicts before it needs it. The pagehide beacon needs only the transport.
  let syncer: Syncer | undefined;
  const loadSyncer = lazyOnce(() => import('./syncer.ts').then(({ createSyncer }) => (syncer = makeSyncer(createSyncer))));
  const makeSyncer = (createSyncer: typeof import('./syncer.ts').createSyncer) => createSyncer({
    buffer,
    transport: input.transport,
    deviceId: storage.deviceId,
    batchSize: input.batchSize,
    clock,
    random: input.random ?? Math.random,
    onSent: (n) => {
      recordSent(n);
      lastSyncError = undefined;
    },
    onDrop: countDrop,
    dropped: () => dropped,
    onError: (message) => {
      lastSyncError = message;
    },
  });

  function arm(delayMs: number): void {
    const dueAt = clock.now() + Math.max(0, delayMs);
    if (closed || (timer && timer.dueAt <= dueAt)) return;
    if (timer) clock.clearTimeout(timer.handle);
    timer = { dueAt, handle: clock.setTimeout(() => void tick(), Math.max(0, delayMs)) };
  }

  async function sync(force: boolean): Promise<number> {
    await writer.persist();
    await enforceBounds();
    let result: Awaited<ReturnType<Syncer['sync']>>;
    try {
      result = await (await loadSyncer()).sync({ force });
    } catch (e) {
      // Only the chunk's fetch can fail here (sync never rejects): offline with the app's files uncached. Try again later.
      lastSyncError = `could not load the SDK's upload code: ${e instanceof Error ? e.message : String(e)}`;
      result = { sent: 0, retryAt: clock.now() + flushIntervalMs };
    }
    await refresh();
    if (result.retryAt !== undefined) arm(result.retryAt - clock.now());
    else if (size.count > 0) arm(flushIntervalMs);
    return result.sent;
  }

  async function tick(): Promise<void> {
    timer = undefined;
    if (!closed) await sync(false);
  }

  /**
   * Send what is only in memory with a keepalive fetch, synchronously (the page may be going away).
   * Confirmation removes the records like a normal upload; without one they stay queued.
   */
  function beacon(): void {
    const records = writer.pending().filter((r) => !beaconed.has(r));
    const envelope = { deviceId: storage.deviceId, dropped };
    const n = fitBatch(records, { ...envelope, maxBytes: KEEPALIVE_MAX_BYTES });
    if (n === 0) return;
    const batch = records.slice(0, n);
    for (const r of batch) beaconed.add(r);
    void input.transport.send(uploadOf(batch, envelope, Math.round(clock.now())), { keepalive: true }).then(async (outcome) => {
      if (outcome.kind !== 'sent') return;
      await writer.persist();
      await buffer.remove(batch.map((r) => r.id));
      recordSent(n);
      await refresh();
    }).catch(bufferFailed);
  }

  const onOnline = () => {
    syncer?.resetBackoff();
    void sync(false);
  };
  const onHide = (event: Event) => {
    if (event.type === 'visibilitychange' && globalThis.document?.visibilityState !== 'hidden') return;
    beacon();
    void sync(false);
  };
  const events = input.lifecycleEvents;
  events?.addEventListener('online', onOnline);
  events?.addEventListener('pagehide', onHide);
  events?.addEventListener('visibilitychange', onHide);

  // Start-up: drop what expired while the page was closed; records left by earlier page loads are
  // due like fresh ones. Once the model has started, after that task (a cursor walk over the queue):
  // the model's start and the app's first predictions go first.
  void (input.upkeepAfter ?? Promise.resolve()).finally(() =>
    setTimeout(() => {
      if (closed) return;
      void enforceBounds().then(() => {
        if (size.count > 0) arm(flushIntervalMs);
      });
    }, 0),
  ).catch(() => undefined);

  return {
    push(record) {
      const logged = policy(record);
      if (!logged) {
        countDrop('sampled', 1);
        return;
      }
      // The pending record becomes the queued one (no copy on the hot path): callers hand over a fresh object.
      const queued = logged as InferenceRecord;
      queued.seq = ++seq;
      writer.push(queued);
      if (closed || persistQueued || writer.draining) return;
      // One persist per burst, in a task of its own: records pushed before it runs share the write,
      // records pushed while a write is under way join its next append, and the prediction's caller
      // goes first (opening the write's transaction in a microtask would delay its await by a
      // quarter of a millisecond).
      persistQueued = true;
      setTimeout(persistSoon, 0);
    },
    nextSeq() {
      seq++;
      void saveSeq(seq).catch(() => undefined);
      return seq;
    },
    async flush() {
      const sent = await sync(true);
      return { sent, pending: writer.size + size.count };
    },
    stats() {
      const oldest = Math.min(writer.oldestCreatedAt ?? Infinity, size.oldestCreatedAt ?? Infinity);
      return {
        pending: writer.size + size.count,
        queueBytes: size.bytes,
        synced,
        dropped: { ...dropped },
        quarantined: size.quarantined,
        ...(lastSyncAt === undefined ? {} : { lastSyncAt }),
        ...(lastSyncError === undefined ? {} : { lastSyncError }),
        ...(oldest === Infinity ? {} : { oldestRecordAgeMs: Math.max(0, clock.now() - oldest) }),
      };
    },
    async close() {
      closed = true;
      if (timer) clock.clearTimeout(timer.handle);
      timer = undefined;
      events?.removeEventListener('online', onOnline);
      events?.removeEventListener('pagehide', onHide);
      events?.removeEventListener('visibilitychange', onHide);
      await writer.persist();
      await seqWrite;
    },
  };
}
