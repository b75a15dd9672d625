import { sha256Hex } from '@outpost/shared';
import type { R2Bucket } from '@cloudflare/workers-types';
import { tooLarge, type BlobStore } from './blob-store.ts';
import { chunksOf } from './byte-source.ts';

/** Blobs in an R2 bucket; R2 checks the SHA-256 we pass, so a corrupted upload is refused. */
export function createR2BlobStore(bucket: R2Bucket): BlobStore {
  const key = (sha256: string) => `blobs/${sha256}`;
  const valid = (sha256: string) => /^[0-9a-f]{64}$/.test(sha256);
  const store: BlobStore = {
    async put(bytes) {
      const sha256 = await sha256Hex(bytes);
      await bucket.put(key(sha256), bytes, { sha256 });
      return { sha256, size: bytes.byteLength };
    },
    async putStream(stream, maxBytes) {
      // The key is the hash, known only at the end, and R2 wants a stream's length up front: the
      // bytes are gathered (bounded by maxBytes, itself within a Worker's memory) and put at once.
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of chunksOf(stream)) {
        size += chunk.byteLength;
        if (size > maxBytes) throw tooLarge(maxBytes);
        chunks.push(chunk);
      }
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.byteLength;
      }
      return store.put(bytes);
    },
    async get(sha256) {
      if (!valid(sha256)) return null;
      const obj = await bucket.get(key(sha256));
      return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
    },
    async open(sha256) {
      if (!valid(sha256)) return null;
      const head = await bucket.head(key(sha256));
      if (!head) return null;
      const size = head.size;
      return {
        size,
        async slice(start, end) {
          const length = Math.max(0, Math.min(end, size) - start);
          if (length === 0) return new Uint8Array(0);
          const obj = await bucket.get(key(sha256), { range: { offset: start, length } });
          if (!obj) throw new Error(`blob ${sha256} vanished while being read`);
          return new Uint8Array(await obj.arrayBuffer());
        },
        stream() {
          // Pulled as the reader asks, so a slow consumer never makes the object pile up in memory.
          let body: ReadableStreamDefaultReader<Uint8Array> | undefined;
          return new ReadableStream<Uint8Array>({
            async pull(controller) {
              if (!body) {
                const obj = await bucket.get(key(sha256));
                if (!obj) return controller.error(new Error(`blob ${sha256} vanished while being read`));
                body = (obj.body as unknown as ReadableStream<Uint8Array>).getReader();
              }
              const { done, value } = await body.read();
              if (done) controller.close();
              else controller.enqueue(value);
            },
            cancel: (reason) => body?.cancel(reason),
          });
        },
      };
    },
  };
  return store;
}
