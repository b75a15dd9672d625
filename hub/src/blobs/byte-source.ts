/**
 * Where a reader gets a file's bytes without holding them all: ranges for the columnar formats
 * (Parquet's footer first, then its column chunks), a front-to-back stream for the text ones.
 * The blob stores open stored files as one (fs on Node, R2 on Workers).
 */
export interface ByteSource {
  /** Total bytes. */
  readonly size: number;
  /** Bytes [start, end), end clamped to size. */
  slice(start: number, end: number): Promise<Uint8Array>;
  /** The whole content, front to back; each call starts a new stream. */
  stream(): ReadableStream<Uint8Array>;
}

/** A source over bytes already in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    slice: async (start, end) => bytes.subarray(start, Math.min(end, bytes.byteLength)),
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          // Hand it over in pieces, as a file or a socket would.
          const PIECE = 1 << 20;
          for (let i = 0; i < bytes.byteLength; i += PIECE) controller.enqueue(bytes.subarray(i, i + PIECE));
          controller.close();
        },
      }),
  };
}

/** All of a source's bytes (for the formats read whole: a JSON array). */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  return source.slice(0, source.size);
}

/** Iterate a stream's chunks (ReadableStream is async-iterable on Node and Workers, but not in every lib's types). */
export async function* chunksOf<T>(stream: ReadableStream<T>): AsyncGenerator<T, void, undefined> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
