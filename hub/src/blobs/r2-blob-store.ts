import { sha256Hex } from '@outpost/shared';
import type { R2Bucket } from '@cloudflare/workers-types';
import type { BlobStore } from './blob-store.ts';

/** Blobs in an R2 bucket; R2 checks the SHA-256 we pass, so a corrupted upload is refused. */
export function createR2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async put(bytes) {
      const sha256 = await sha256Hex(bytes);
      await bucket.put(`blobs/${sha256}`, bytes, { sha256 });
      return { sha256, size: bytes.byteLength };
    },
    async get(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
      const obj = await bucket.get(`blobs/${sha256}`);
      return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
    },
  };
}
