/** Content-addressed bytes (dataset files, model artifacts): the address is the SHA-256 hex. */
export interface BlobStore {
  /** Store bytes under their SHA-256; storing the same bytes twice is a no-op. */
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | null>;
}
