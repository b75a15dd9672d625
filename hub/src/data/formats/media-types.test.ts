import { describe, expect, it } from 'vitest';
import { contentTypeOf, DATASET_FORMATS, formatFromContentType, formatFromFileName, type DatasetFormat } from './index.ts';

describe('formatFromContentType', () => {
  it.each<[string | undefined, DatasetFormat | undefined]>([
    ['text/csv', 'csv'],
    ['application/csv', 'csv'],
    ['Text/CSV; charset=utf-8', 'csv'],
    ['text/tab-separated-values', 'tsv'],
    ['application/json', 'json'],
    ['application/json; charset=UTF-8', 'json'],
    ['application/x-ndjson', 'ndjson'],
    ['application/jsonl', 'ndjson'],
    ['application/ndjson', 'ndjson'],
    ['application/vnd.apache.parquet', 'parquet'],
    ['application/x-parquet', 'parquet'],
    ['application/vnd.apache.arrow.file', 'arrow'],
    ['application/vnd.apache.arrow.stream', 'arrow'],
    ['application/octet-stream', undefined],
    ['text/plain', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (contentType, format) => {
    expect(formatFromContentType(contentType)).toBe(format);
  });
});

describe('formatFromFileName', () => {
  it.each<[string, DatasetFormat | undefined]>([
    ['penguins.csv', 'csv'],
    ['data.TSV', 'tsv'],
    ['data.tab', 'tsv'],
    ['rows.json', 'json'],
    ['rows.ndjson', 'ndjson'],
    ['rows.jsonl', 'ndjson'],
    ['flights-3m.parquet', 'parquet'],
    ['flights-200k.arrow', 'arrow'],
    ['table.feather', 'arrow'],
    ['table.ipc', 'arrow'],
    ['archive.csv.gz', undefined],
    ['README', undefined],
    ['notes.txt', undefined],
  ])('%s → %s', (name, format) => {
    expect(formatFromFileName(name)).toBe(format);
  });
});

describe('contentTypeOf', () => {
  it('answers a media type that maps back to the same format, for every format', () => {
    expect(Object.fromEntries(DATASET_FORMATS.map((f) => [f, contentTypeOf(f)]))).toEqual({
      csv: 'text/csv',
      tsv: 'text/tab-separated-values',
      json: 'application/json',
      ndjson: 'application/x-ndjson',
      parquet: 'application/vnd.apache.parquet',
      arrow: 'application/vnd.apache.arrow.file',
    });
    for (const f of DATASET_FORMATS) expect(formatFromContentType(contentTypeOf(f))).toBe(f);
  });
});
