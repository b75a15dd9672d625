/** Floats per slab: 16 KiB, some 400 inputs of a 10-column model between allocations. */
const SLAB_FLOATS = 4096;

/**
 * Zeroed Float32Arrays of one width, cut from shared 16 KiB buffers, for the model's inputs. A small
 * typed array of its own lives on V8's heap until something asks for its `.buffer`, as
 * onnxruntime-web does to copy it into the wasm heap: V8 then allocates it a backing store of its
 * own and copies it, about half a microsecond per prediction. A view into a slab already has one.
 * Regions are never reused (a spent slab is collected once no view of it is left), so a runtime
 * that reads its input later still reads its own. A runtime that transfers the buffer must copy a
 * view first, as the worker runtime does.
 * @example const next = createInputSlab(10); const x = next(); // Float32Array(10), zeroed
 */
export function createInputSlab(width: number): () => Float32Array {
  // A wide input (over a quarter of a slab) gets a buffer of its own: V8 puts any typed array over
  // 64 bytes in one anyway, and a slab should hold a few.
  if (width > SLAB_FLOATS / 4) return () => new Float32Array(width);
  let slab = new ArrayBuffer(SLAB_FLOATS * 4);
  let offset = 0;
  return () => {
    if (offset + width > SLAB_FLOATS) {
      slab = new ArrayBuffer(SLAB_FLOATS * 4);
      offset = 0;
    }
    const view = new Float32Array(slab, offset * 4, width);
    offset += width;
    return view;
  };
}
