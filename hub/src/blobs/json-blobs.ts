import type { BlobStore } from './blob-store.ts';

/** Derived JSON documents (profiles, suites, reports) as content-addressed blobs; returns the address. */
export async function putJson(blobs: BlobStore, value: unknown): Promise<string> {
  return (await blobs.put(new TextEncoder().encode(JSON.stringify(value)))).sha256;
}

/** The document at `sha256`, or null when the blob is gone. The caller knows (and trusts) its shape: only the hub writes these. */
export async function getJson<T>(blobs: BlobStore, sha256: string): Promise<T | null> {
  const bytes = await blobs.get(sha256);
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as T) : null;
}
