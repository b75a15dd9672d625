/** Build versions the way the hub does: through parse.ts, from CSV text or JSON rows. */
import { parseDataset, type ParsedDataset } from '../parse.ts';

export const csv = (text: string): ParsedDataset => parseDataset(new TextEncoder().encode(text), 'csv');
export const json = (rows: unknown[]): ParsedDataset => parseDataset(new TextEncoder().encode(JSON.stringify(rows)), 'json');
