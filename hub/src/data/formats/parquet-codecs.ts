/// <reference path="./hyparquet-compressors.d.ts" />
/**
 * Parquet decompressors that run everywhere the hub does. hyparquet-compressors' own `compressors`
 * map loads a WebAssembly SNAPPY decoder at import time, which Workers forbid ("Wasm code
 * generation disallowed by embedder"), so the pure-JS decoders are taken one by one and SNAPPY is
 * left to hyparquet's built-in JS decoder.
 */
import type { Compressors } from 'hyparquet';
import { decompress as decompressZstd } from 'fzstd';
// Deep imports: the package's entry point would load the WebAssembly decoder.
import { decompressBrotli } from 'hyparquet-compressors/src/brotli.js';
import { gunzip } from 'hyparquet-compressors/src/gzip.js';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';

export const codecs: Compressors = {
  GZIP: (input, length) => gunzip(input, new Uint8Array(length)),
  BROTLI: decompressBrotli,
  ZSTD: (input) => decompressZstd(input),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
