import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { OutpostError } from '@outpost/shared';
import type { RawRecord, RawValue } from '@outpost/shared';
import { toRawValue } from './cells.ts';

/**
 * All rows of an Arrow IPC file or stream (Feather v2 included), cells normalized by `toRawValue`.
 * apache-arrow returns timestamps and dates as epoch milliseconds: top-level ones become ISO strings
 * like Parquet's; decimals become numbers (scale applied). Dictionary columns read as their values.
 */
export function readArrow(bytes: Uint8Array): RawRecord[] {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new OutpostError('INVALID_DATASET', `unreadable Arrow IPC file: ${message}`, { issues: [{ message }], cause: e });
  }
  // Column by column: one conversion per column instead of a row proxy per row.
  const rows: Record<string, RawValue>[] = Array.from({ length: table.numRows }, () => ({}));
  table.schema.fields.forEach((field, c) => {
    const convert = converterFor(field.type);
    let i = 0;
    for (const v of table.getChildAt(c)!) {
      // defineProperty, not assignment: a column named __proto__ stays data.
      Object.defineProperty(rows[i++]!, field.name, { value: v === null || v === undefined ? null : convert(v), enumerable: true, writable: true, configurable: true });
    }
  });
  return rows;
}

function converterFor(type: DataType): (v: unknown) => RawValue {
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return (v) => toRawValue(new Date(v as number));
  if (DataType.isDecimal(type)) return (v) => (v as { valueOf(scale: number): number }).valueOf(type.scale);
  return toRawValue;
}
