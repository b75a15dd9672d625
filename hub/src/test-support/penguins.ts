/** The penguins data set (vega-datasets) for tests: JSON rows with typed values. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ProfileColumn, RawRecord } from '@outpost/shared';

// vega-datasets exports only its JS entry, not data/: find the file beside it.
const datasets = dirname(createRequire(import.meta.url).resolve('vega-datasets'));

export const penguins = JSON.parse(readFileSync(join(datasets, '..', 'data', 'penguins.json'), 'utf8')) as RawRecord[];

export const PENGUIN_COLUMNS: readonly ProfileColumn[] = [
  { name: 'Species', type: 'categorical' },
  { name: 'Island', type: 'categorical' },
  { name: 'Beak Length (mm)', type: 'numeric' },
  { name: 'Beak Depth (mm)', type: 'numeric' },
  { name: 'Flipper Length (mm)', type: 'numeric' },
  { name: 'Body Mass (g)', type: 'numeric' },
  { name: 'Sex', type: 'categorical' },
];

export const penguinColumnNames = PENGUIN_COLUMNS.map((c) => c.name);
