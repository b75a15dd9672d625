import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** vega-datasets' data folder (the package exports only its JS entry, so find the folder beside it). */
export const VEGA_DATA_DIR = join(dirname(fileURLToPath(import.meta.resolve('vega-datasets'))), '..', 'data');

/** vega-datasets' penguins: 344 rows with missing values, the demo's dataset. */
export function penguinsJson(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(VEGA_DATA_DIR, 'penguins.json')));
}

export const PENGUINS_LABEL = 'Species';
