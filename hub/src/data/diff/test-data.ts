/** Build versions the way the hub reads them (formats/ readers, parse.ts column inference) for table tests. */
import { parseDataset, type ParsedDataset } from '../parse.ts';

export const csv = async (text: string): Promise<ParsedDataset> => parseDataset(new TextEncoder().encode(text), 'csv');
export const json = async (rows: unknown[]): Promise<ParsedDataset> => parseDataset(new TextEncoder().encode(JSON.stringify(rows)), 'json');
