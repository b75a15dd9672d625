/** Rows a text-format reader hands on at a time: enough to amortise the hand-over, few enough to stay small. */
export const CHUNK_ROWS = 10_000;
