import { DataType as ArrowType, RecordBatchReader, type RecordBatch, type Field } from 'apache-arrow';
import { OutpostError } from '@outpost/shared';
import type { RawRecord, RawValue } from '@outpost/shared';
import type { DataType } from '../column-types.ts';
import { noRows } from './bad-rows.ts';
import { toRawValue } from './cells.ts';
import type { ByteSource } from '../../blobs/byte-source.ts';
import type { RowReader } from './types.ts';

/**
 * An Arrow IPC file or stream (Feather v2 included) read one record batch at a time as its bytes
 * stream in. apache-arrow returns timestamps and dates as epoch milliseconds: top-level ones become
 * ISO strings like Parquet's; decimals become numbers (scale applied). Dictionary columns read as
 * their values. Column types come from the schema (see `typeOfArrowField`).
 */
export async function openArrow(source: ByteSource): Promise<RowReader> {
  if (source.size === 0) throw noRows();
  const reader = await unreadable(async () => {
    const r = await RecordBatchReader.from(source.stream());
    return r.open();
  });
  const fields = reader.schema.fields;
  return {
    schema: fields.map((f) => ({ name: f.name, type: typeOfArrowField(f) })),
    async *chunks() {
      let rows = 0;
      const iterator = reader[Symbol.asyncIterator]();
      for (;;) {
        const next = await unreadable(() => iterator.next());
        if (next.done) break;
        rows += next.value.numRows;
        if (next.value.numRows > 0) yield batchRows(next.value, fields);
      }
      if (rows === 0) throw noRows();
    },
    summary: () => ({ skipped: 0, errors: [] }),
  };
}

/** Column by column: one conversion per column instead of a row proxy per row. */
function batchRows(batch: RecordBatch, fields: readonly Field[]): RawRecord[] {
  const rows: Record<string, RawValue>[] = Array.from({ length: batch.numRows }, () => ({}));
  fields.forEach((field, c) => {
    const convert = converterFor(field.type);
    let i = 0;
    for (const v of batch.getChildAt(c)!) {
      // defineProperty, not assignment: a column named __proto__ stays data.
      Object.defineProperty(rows[i++]!, field.name, { value: v === null || v === undefined ? null : convert(v), enumerable: true, writable: true, configurable: true });
    }
  });
  return rows;
}

/** Int → integer; Float, Decimal → number; Bool → boolean; Date, Timestamp → datetime; Utf8 (plain or dictionary) → categorical; anything else → text. */
export function typeOfArrowField(field: Field): DataType {
  const type = ArrowType.isDictionary(field.type) ? field.type.dictionary : field.type;
  if (ArrowType.isInt(type)) return 'integer';
  if (ArrowType.isFloat(type) || ArrowType.isDecimal(type)) return 'number';
  if (ArrowType.isBool(type)) return 'boolean';
  if (ArrowType.isDate(type) || ArrowType.isTimestamp(type)) return 'datetime';
  if (ArrowType.isUtf8(type) || ArrowType.isLargeUtf8(type)) return 'categorical';
  return 'text';
}

function converterFor(type: ArrowType): (v: unknown) => RawValue {
  if (ArrowType.isTimestamp(type) || ArrowType.isDate(type)) return (v) => toRawValue(new Date(v as number));
  if (ArrowType.isDecimal(type)) return (v) => (v as { valueOf(scale: number): number }).valueOf(type.scale);
  return toRawValue;
}

async function unreadable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new OutpostError('INVALID_DATASET', `unreadable Arrow IPC file: ${message}`, { issues: [{ message }], cause: e });
  }
}
