import type { DatasetFormat } from './types.ts';

// One table per direction; the first media type of each format is the one we answer with.
const CONTENT_TYPES: Readonly<Record<DatasetFormat, readonly string[]>> = {
  csv: ['text/csv', 'application/csv'],
  tsv: ['text/tab-separated-values'],
  json: ['application/json'],
  ndjson: ['application/x-ndjson', 'application/jsonl', 'application/ndjson'],
  // https://www.iana.org/assignments/media-types/application/vnd.apache.parquet
  parquet: ['application/vnd.apache.parquet', 'application/x-parquet'],
  // https://www.iana.org/assignments/media-types/application/vnd.apache.arrow.file (and .stream)
  arrow: ['application/vnd.apache.arrow.file', 'application/vnd.apache.arrow.stream'],
};

const EXTENSIONS: Readonly<Record<string, DatasetFormat>> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  parquet: 'parquet',
  arrow: 'arrow',
  feather: 'arrow', // Feather v2 is the Arrow IPC file format
  ipc: 'arrow',
};

const BY_CONTENT_TYPE = new Map(
  Object.entries(CONTENT_TYPES).flatMap(([format, types]) => types.map((t) => [t, format as DatasetFormat] as const)),
);

/**
 * The format of a `Content-Type` header; parameters (`; charset=utf-8`) and case are ignored.
 * @example formatFromContentType('text/csv; charset=utf-8') // 'csv'
 */
export function formatFromContentType(contentType: string | undefined): DatasetFormat | undefined {
  const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return BY_CONTENT_TYPE.get(essence);
}

/**
 * The format a file name's extension names (case-insensitive), or undefined.
 * @example formatFromFileName('flights.PARQUET') // 'parquet'
 */
export function formatFromFileName(name: string): DatasetFormat | undefined {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return undefined;
  return EXTENSIONS[name.slice(dot + 1).toLowerCase()];
}

/**
 * The media type to label a dataset of this format with.
 * @example contentTypeOf('ndjson') // 'application/x-ndjson'
 */
export function contentTypeOf(format: DatasetFormat): string {
  return CONTENT_TYPES[format][0]!;
}
