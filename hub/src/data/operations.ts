/**
 * The operations that read a version and make new ones — split, clean (or replay a recipe),
 * synthesize — as plain functions, so the API (operation-routes.ts) and the console share one
 * implementation. Each checks its input before it stores anything: bad input changes nothing.
 */
import { OutpostError, type RawRecord } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { commitVersion, type CommitInput } from './commit.ts';
import { inferColumns, type ParsedDataset } from './parse.ts';
import { profileOfVersion } from './profile.ts';
import { readVersionRows } from './version-rows.ts';
import { splitRows, SPLIT_PARTS, type SplitPart, type SplitResult, type SplitSpec } from './split/index.ts';
import { applyRecipe, recipeHash, RecipeSchema, type Recipe, type StepReport } from './clean/index.ts';
import { synthesizeRows } from './synthesize/index.ts';
import { createDatasetStore, type DatasetVersion } from './store.ts';

/** One dataset version of a project. */
export interface VersionRef {
  project: string;
  dataset: string;
  version: number;
}

/** Who asked and why, recorded in the lineage of every version an operation makes. */
export interface Authored {
  /** `admin-token-<id>`, `console` or `console:<name>`. */
  author: string | null;
  message?: string | undefined;
}

/**
 * The version, or OutpostError('NOT_FOUND') whose issue names `path` (the field that named it).
 * @example const v = await findVersion(deps, { project: 'demo', dataset: 'penguins', version: 2 }, 'from');
 */
export async function findVersion(deps: HubDeps, ref: VersionRef, path = 'version'): Promise<DatasetVersion> {
  const v = await createDatasetStore(deps.db).getVersion(ref.project, ref.dataset, ref.version);
  if (!v) throw new OutpostError('NOT_FOUND', `no dataset ${ref.dataset} version ${ref.version} in project ${ref.project}`, { issues: [{ path, message: 'not found' }] });
  return v;
}

/** A version with its rows read, ready for an operation. */
export async function loadVersion(deps: HubDeps, ref: VersionRef, path = 'version'): Promise<{ v: DatasetVersion; parsed: ParsedDataset }> {
  const v = await findVersion(deps, ref, path);
  return { v, parsed: { rows: await readVersionRows(deps, v), columns: v.columns } };
}

/** Rows stored as a new JSON version of `dataset`, with its lineage. */
async function commitRows(deps: HubDeps, project: string, dataset: string, rows: RawRecord[], lineage: CommitInput['lineage']): Promise<DatasetVersion> {
  const made = await commitVersion(deps, {
    project,
    dataset,
    bytes: new TextEncoder().encode(JSON.stringify(rows)),
    format: 'json',
    parsed: { rows, columns: inferColumns(rows) },
    lineage,
  });
  return made.version;
}

export type SplitOutcome = Pick<SplitResult, 'hash' | 'sizes' | 'balance'> & {
  /** The new version of `<dataset>-<part>` per part; parts with no rows are skipped. */
  versions: Partial<Record<SplitPart, DatasetVersion>>;
};

/**
 * Split a version into new versions of `<dataset>-train`, `-validation` and `-test`, each with the
 * version as parent and the split (spec, part, assignment hash, sizes) as its operation.
 * @throws OutpostError NOT_FOUND (project, `version`), VALIDATION_FAILED (`dataset` too long to name
 *   its parts; the spec: `column`, `fractions`, … as splitRows), INVALID_DATASET (bad time values).
 * @example const { versions } = await splitVersion(deps, { project, dataset: 'penguins', version: 1, spec, author: 'console:ana' });
 */
export async function splitVersion(deps: HubDeps, input: VersionRef & Authored & { spec: SplitSpec }): Promise<SplitOutcome> {
  const { project, dataset, version, spec } = input;
  await createProjectStore(deps.db).require(project);
  const longest = `${dataset}-validation`;
  if (!NameSchema.safeParse(longest).success) {
    throw new OutpostError('VALIDATION_FAILED', `dataset name ${dataset} is too long to name its parts (${longest})`, { issues: [{ path: 'dataset', message: 'at most 52 characters to split' }] });
  }
  const { v, parsed } = await loadVersion(deps, input);
  const result = await splitRows(parsed.rows, parsed.columns.map((col) => col.name), spec);
  const versions: SplitOutcome['versions'] = {};
  for (const part of SPLIT_PARTS) {
    const rows = result.parts[part].map((i) => parsed.rows[i]!);
    if (rows.length === 0) continue;
    versions[part] = await commitRows(deps, project, `${dataset}-${part}`, rows, {
      parents: [v.id],
      operation: { kind: 'split', params: { ...spec, part, hash: result.hash, from: { dataset, version }, sizes: result.sizes, ...(result.balance ? { balance: result.balance } : {}) } },
      message: input.message ?? null,
      author: input.author,
    });
  }
  return { hash: result.hash, sizes: result.sizes, ...(result.balance ? { balance: result.balance } : {}), versions };
}

export interface CleanInput extends VersionRef, Authored {
  /** The recipe; or give `replay`, never both. */
  recipe?: Recipe | undefined;
  /** A cleaned version whose recorded recipe to apply. */
  replay?: { dataset: string; version: number } | undefined;
  /** Dataset to write to; default `<dataset>-clean`. */
  to?: string | undefined;
}

/**
 * Apply a cleaning recipe (or replay the one recorded on a cleaned version) to a version, making a
 * new version whose operation records the whole recipe, its hash and what each step did.
 * @throws OutpostError VALIDATION_FAILED (`recipe`: neither or both of recipe and replay, an unknown
 *   column, every row dropped; `to`: not a name), NOT_FOUND (`replay`: not a cleaned version;
 *   `version`), INVALID_DATASET (a cell a coerce step cannot convert).
 * @example const { version } = await cleanVersion(deps, { project, dataset: 'penguins', version: 1, recipe, author: null });
 */
export async function cleanVersion(deps: HubDeps, input: CleanInput): Promise<{ recipeHash: string; report: StepReport[]; version: DatasetVersion }> {
  const { project, dataset, version } = input;
  await createProjectStore(deps.db).require(project);
  if ((input.recipe === undefined) === (input.replay === undefined)) {
    throw new OutpostError('VALIDATION_FAILED', 'send either a recipe or replay (a cleaned version whose recipe to apply)', { issues: [{ path: 'recipe', message: 'exactly one of recipe, replay' }] });
  }
  let recipe = input.recipe;
  if (input.replay) {
    const source = await createDatasetStore(deps.db).getVersion(project, input.replay.dataset, input.replay.version);
    const recorded = source?.operation?.kind === 'clean' ? RecipeSchema.safeParse(source.operation.params.recipe) : undefined;
    if (!recorded?.success) {
      throw new OutpostError('NOT_FOUND', `${input.replay.dataset} version ${input.replay.version} was not made by a cleaning recipe`, { issues: [{ path: 'replay', message: 'not a cleaned version' }] });
    }
    recipe = recorded.data;
  }
  const target = input.to ?? `${dataset}-clean`;
  if (!NameSchema.safeParse(target).success) {
    throw new OutpostError('VALIDATION_FAILED', `${target} is not a valid dataset name`, { issues: [{ path: 'to', message: 'name the target dataset' }] });
  }
  const { v, parsed } = await loadVersion(deps, input);
  const result = applyRecipe(recipe!, parsed.rows, parsed.columns.map((col) => col.name));
  if (result.rows.length === 0) throw new OutpostError('VALIDATION_FAILED', 'the recipe dropped every row; nothing to store', { issues: [{ path: 'recipe', message: 'no rows left' }] });
  const hash = await recipeHash(recipe!);
  const made = await commitRows(deps, project, target, result.rows, {
    parents: [v.id],
    // The whole recipe is recorded, so the version says exactly how it was made and can be replayed.
    operation: { kind: 'clean', params: { recipe: recipe!, recipeHash: hash, from: { dataset, version }, report: result.report } },
    message: input.message ?? null,
    author: input.author,
  });
  return { recipeHash: hash, report: result.report, version: made };
}

export interface SynthesizeInput extends VersionRef, Authored {
  /** How many rows to draw, 1 to 1 000 000. */
  rows: number;
  seed: number;
  /** Dataset to write to; default `<dataset>-synthetic`. */
  to?: string | undefined;
}

/**
 * Draw `rows` synthetic rows from a version's profile (seeded: the same seed gives the same rows)
 * into a new version whose operation records count, seed and source.
 * @throws OutpostError NOT_FOUND (project, `version`).
 * @example const v = await synthesizeVersion(deps, { project, dataset: 'penguins', version: 1, rows: 500, seed: 7, author: null });
 */
export async function synthesizeVersion(deps: HubDeps, input: SynthesizeInput): Promise<DatasetVersion> {
  const { project, dataset, version, rows: count, seed } = input;
  await createProjectStore(deps.db).require(project);
  const v = await findVersion(deps, input);
  const rows = synthesizeRows(await profileOfVersion(deps, v), { rows: count, seed, types: Object.fromEntries(v.columns.map((c) => [c.name, c.type])) });
  return commitRows(deps, project, input.to ?? `${dataset}-synthetic`, rows, {
    parents: [v.id],
    operation: { kind: 'synthesize', params: { rows: count, seed, from: { dataset, version } } },
    message: input.message ?? null,
    author: input.author,
  });
}
