/**
 * A progress display for long transfers: a bar redrawn in place on a terminal, plain lines at each
 * tenth elsewhere (a CI log, a pipe), so a log never fills with carriage returns. Writes to the
 * stream it is given (the CLI uses stderr, so stdout stays the result alone).
 */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `done` of `total` units so far. */
  update(done: number): void;
  /** The transfer is over: finish the bar's line. */
  finish(): void;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

/**
 * @example
 * const progress = createProgress(process.stderr, size, 'uploading flights.parquet', Date.now);
 * progress.update(sent); … progress.finish();
 */
export function createProgress(output: ProgressOutput, total: number, label: string, now: () => number = Date.now): Progress {
  const started = now();
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let last = 0;
  const rate = (done: number) => {
    const seconds = (now() - started) / 1000;
    return seconds > 0 ? `${mb(done / seconds)} MB/s` : '';
  };
  const fraction = (done: number) => (total > 0 ? Math.min(1, done / total) : 1);

  function draw(done: number) {
    const f = fraction(done);
    const text = `${label} ${(f * 100).toFixed(0).padStart(3)}% ${mb(done)}/${mb(total)} MB ${rate(done)}`;
    const width = Math.max(10, Math.min(40, (output.columns ?? 80) - text.length - 4));
    const filled = Math.round(f * width);
    output.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
  }

  return {
    update(done) {
      last = done;
      if (output.isTTY) {
        // At most ten redraws a second, and always the last one.
        if (now() - lastDraw < 100 && done < total) return;
        lastDraw = now();
        draw(done);
        return;
      }
      const tenth = Math.floor(fraction(done) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        output.write(`${label}: ${tenth * 10}% (${mb(done)} of ${mb(total)} MB)\n`);
      }
    },
    finish() {
      if (output.isTTY) {
        draw(last);
        output.write('\n');
      }
    },
  };
}

/** Count the bytes flowing through a stream, reporting each chunk to `onBytes` with the running total. */
export function countingStream(onBytes: (total: number) => void): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.byteLength;
      onBytes(total);
      controller.enqueue(chunk);
    },
  });
}
