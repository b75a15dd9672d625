import { encodeRecord, inputWidth, OutpostError, type ReferenceProfile, type ErrorIssue, type FeatureSpec, type RawRecord } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createDatasetStore, type DatasetVersion } from '../data/store.ts';
import { readVersionRows } from '../data/version-rows.ts';
import { referenceProfile } from '../training/reference-profile.ts';
import type { LoadedModel } from './model-runtime.ts';
import type { DatasetRef } from './upload-form.ts';

/** Rows encoded and run per call: bounded memory for a large dataset, few calls into the runtime. */
const BATCH_ROWS = 1024;

const refuse = (issues: ErrorIssue[]): never => {
  throw new OutpostError('VALIDATION_FAILED', `reference: ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, { issues });
};

/**
 * The dataset version an upload names as its reference, once it exists in the project and has a
 * column for every feature of the spec. Throws VALIDATION_FAILED at `reference`, naming the
 * missing dataset, version or columns.
 * @example const dv = await resolveReference(deps, 'demo', { dataset: 'penguins', version: 3 }, spec);
 */
export async function resolveReference(deps: Pick<HubDeps, 'db'>, project: string, ref: DatasetRef, spec: FeatureSpec): Promise<DatasetVersion> {
  const datasets = createDatasetStore(deps.db);
  const dv = await datasets.getVersion(project, ref.dataset, ref.version);
  if (!dv) {
    const latest = await datasets.getVersion(project, ref.dataset);
    refuse([{ path: 'reference', message: latest ? `dataset ${ref.dataset} has no version ${ref.version} (its latest is ${latest.version})` : `no dataset ${ref.dataset} in project ${project}` }]);
  }
  if (dv!.rowCount === 0) refuse([{ path: 'reference', message: `${ref.dataset}@${ref.version} has no rows to profile the model on` }]);
  const columns = new Set(dv!.columns.map((c) => c.name));
  const missing = spec.features.filter((f) => !columns.has(f.name));
  if (missing.length > 0) {
    refuse(missing.map((f) => ({ path: 'reference', column: f.name, message: `${ref.dataset}@${ref.version} has no column ${f.name} (feature of the spec)` })));
  }
  return dv!;
}

/**
 * The reference profile of an uploaded model, as trained versions have theirs (referenceProfile):
 * every row of `dv`, encoded with the spec and run through the model in batches. A row that does
 * not encode is refused with VALIDATION_FAILED at `reference`, naming its row (1-based) and column.
 * @example const reference = await uploadedReference(deps, dv, spec, await deps.models.open(bytes, io));
 */
export async function uploadedReference(
  deps: HubDeps,
  dv: DatasetVersion,
  spec: FeatureSpec,
  model: LoadedModel,
  outputWidth: number,
): Promise<ReferenceProfile> {
  const rows = await readVersionRows(deps, dv);
  const width = inputWidth(spec);
  const outputs = new Float32Array(rows.length * outputWidth);
  const x = new Float32Array(Math.min(BATCH_ROWS, rows.length) * width);
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, rows.length - start);
    for (let r = 0; r < n; r++) encodeRow(spec, rows[start + r]!, x, r * width, start + r + 1, dv);
    outputs.set(await model.run(x.subarray(0, n * width), n), start * outputWidth);
  }
  return referenceProfile(spec, rows, rows.map((_, i) => i), outputs);
}

function encodeRow(spec: FeatureSpec, record: RawRecord, out: Float32Array, offset: number, row: number, dv: DatasetVersion): void {
  try {
    encodeRecord(spec, record, out, offset);
  } catch (e) {
    if (!(e instanceof OutpostError)) throw e;
    const column = e.issues?.[0]?.column;
    refuse([{ path: 'reference', row, ...(column ? { column } : {}), message: `${dv.dataset}@${dv.version} row ${row} does not encode with the spec: ${e.message}` }]);
  }
}
