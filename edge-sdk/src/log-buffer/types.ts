import type { InferenceRecord } from '@outpost/shared';

/**
 * A durable FIFO of inference records waiting for upload. A record leaves it only through
 * `remove`, which the SDK calls after the hub answered 2xx for the batch holding it.
 * @example createOutpost({ ...options, logBuffer: createMemoryLogBuffer() }); // from '@outpost/edge-sdk/testing'
 */
export interface LogBuffer {
  /** Add records at the end, in order. A record whose id is already buffered is skipped. */
  append(records: readonly InferenceRecord[]): Promise<void>;
  /** The oldest `limit` records, oldest first, without removing them. */
  peek(limit: number): Promise<InferenceRecord[]>;
  /** Remove records by id; unknown ids are ignored. */
  remove(ids: readonly string[]): Promise<void>;
  count(): Promise<number>;
}
