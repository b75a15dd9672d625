/** Build versions the way the hub reads them (formats/ readers, parse.ts column inference), synchronously for table tests. */
import { readDelimited } from '../formats/csv.ts';
import { readJsonArray } from '../formats/json.ts';
import { inferColumns, type ParsedDataset } from '../parse.ts';

const policy = { skipBadRows: false, maxReportedErrors: 20 };
const parsed = (rows: ParsedDataset['rows']): ParsedDataset => ({ rows, columns: inferColumns(rows) });

export const csv = (text: string): ParsedDataset => parsed(readDelimited(text, ',', 'CSV', policy).rows);
export const json = (rows: unknown[]): ParsedDataset => parsed(readJsonArray(JSON.stringify(rows), policy).rows);
