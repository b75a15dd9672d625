import { describe, expect, it } from 'vitest';
import { countingStream, createProgress } from './progress.ts';

function capture(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, output: { isTTY, columns: 100, write: (t: string) => writes.push(t) } };
}

describe('createProgress', () => {
  it('prints a plain line at each tenth when not on a terminal, never a carriage return', () => {
    const { writes, output } = capture(false);
    const p = createProgress(output, 10 * 1024 * 1024, 'uploading x.csv', () => 0);
    for (let sent = 0; sent <= 10 * 1024 * 1024; sent += 256 * 1024) p.update(sent);
    p.finish();
    expect(writes).toHaveLength(11);
    expect(writes[0]).toBe('uploading x.csv: 0% (0.0 of 10.0 MB)\n');
    expect(writes[10]).toBe('uploading x.csv: 100% (10.0 of 10.0 MB)\n');
    expect(writes.join('')).not.toContain('\r');
  });

  it('redraws one bar in place on a terminal, at most ten times a second, then ends the line', () => {
    const { writes, output } = capture(true);
    let t = 0;
    const p = createProgress(output, 4 * 1024 * 1024, 'uploading y.parquet', () => t);
    for (let i = 1; i <= 40; i++) {
      t += 25; // 40 updates over one second
      p.update(i * 100 * 1024 + (i === 40 ? 4 * 1024 * 1024 - 40 * 100 * 1024 : 0));
    }
    p.finish();
    const bars = writes.filter((w) => w.startsWith('\r'));
    expect(bars.length).toBeGreaterThanOrEqual(10);
    expect(bars.length).toBeLessThanOrEqual(12);
    expect(bars.at(-1)).toMatch(/^\r\[#+\] uploading y\.parquet 100% 4\.0\/4\.0 MB 4\.0 MB\/s$/);
    expect(writes.at(-1)).toBe('\n');
  });
});

describe('countingStream', () => {
  it('passes bytes through unchanged and reports the running total', async () => {
    const seen: number[] = [];
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2, 3]));
        c.enqueue(new Uint8Array([4]));
        c.close();
      },
    });
    const out = await new Response(source.pipeThrough(countingStream((n) => seen.push(n)))).arrayBuffer();
    expect([...new Uint8Array(out)]).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([3, 4]);
  });
});
