import { OutpostError } from '@outpost/shared';
import type { ByteSource } from './byte-source.ts';

/** Content-addressed bytes (dataset files, model artifacts): the address is the SHA-256 hex. */
export interface BlobStore {
  /** Store bytes under their SHA-256; storing the same bytes twice is a no-op. */
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  /**
   * Store a stream, hashing as it arrives. More than `maxBytes` fails with
   * OutpostError('PAYLOAD_TOO_LARGE') and stores nothing. How much memory it takes is the store's
   * (the filesystem store holds one chunk; R2 needs the length up front, so it buffers).
   */
  putStream(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | null>;
  /** A stored blob as a source of ranges and streams, without reading it whole; null when absent. */
  open(sha256: string): Promise<ByteSource | null>;
}

/** The error every store gives for a stream over its limit. */
export const tooLarge = (maxBytes: number) => new OutpostError('PAYLOAD_TOO_LARGE', `the file is larger than the limit of ${maxBytes} bytes`);
