import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { sha256Hex } from '@outpost/shared';
import { tooLarge, type BlobStore } from './blob-store.ts';
import { chunksOf, type ByteSource } from './byte-source.ts';

/** Blobs as files under `dir/ab/abcdef…`, written to a temp name and renamed so a crash never leaves half a blob. */
export function createFsBlobStore(dir: string): BlobStore {
  const pathOf = (sha256: string) => join(dir, sha256.slice(0, 2), sha256);
  const valid = (sha256: string) => /^[0-9a-f]{64}$/.test(sha256);
  const place = async (tmp: string, sha256: string) => {
    await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
    await rename(tmp, pathOf(sha256));
  };
  return {
    async put(bytes) {
      const sha256 = await sha256Hex(bytes);
      await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
      const tmp = `${pathOf(sha256)}.${randomUUID()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, pathOf(sha256));
      return { sha256, size: bytes.byteLength };
    },
    async putStream(stream, maxBytes) {
      await mkdir(join(dir, 'incoming'), { recursive: true });
      const tmp = join(dir, 'incoming', `${randomUUID()}.tmp`);
      const file = await open(tmp, 'w');
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of chunksOf(stream)) {
          size += chunk.byteLength;
          if (size > maxBytes) throw tooLarge(maxBytes);
          hash.update(chunk);
          await file.write(chunk);
        }
        await file.close();
        const sha256 = hash.digest('hex');
        await place(tmp, sha256);
        return { sha256, size };
      } catch (e) {
        await file.close().catch(() => {});
        await rm(tmp, { force: true });
        throw e;
      }
    },
    async get(sha256) {
      if (!valid(sha256)) return null;
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async open(sha256) {
      if (!valid(sha256)) return null;
      const path = pathOf(sha256);
      let size: number;
      try {
        const handle = await open(path, 'r');
        size = (await handle.stat()).size;
        await handle.close();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      return fileSource(path, size);
    },
  };
}

/** A file as a ByteSource: ranges by positioned reads, the stream by a read stream (blobs never change once placed). */
function fileSource(path: string, size: number): ByteSource {
  return {
    size,
    async slice(start, end) {
      const length = Math.max(0, Math.min(end, size) - start);
      const bytes = new Uint8Array(length);
      const handle = await open(path, 'r');
      try {
        let read = 0;
        while (read < length) {
          const { bytesRead } = await handle.read(bytes, read, length - read, start + read);
          if (bytesRead === 0) break;
          read += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return bytes;
    },
    stream: () => Readable.toWeb(createReadStream(path, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>,
  };
}
