/**
 * Expectation suites as plain functions — attach, read, validate, suggest — shared by the API
 * (validation-routes.ts) and the console. Errors are OutpostErrors whose issues name the field.
 */
import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { getJson, putJson } from '../blobs/json-blobs.ts';
import { createProjectStore } from '../projects/store.ts';
import { findVersion, type VersionRef } from './operations.ts';
import { profileOfVersion } from './profile.ts';
import { createDatasetStore, type DatasetVersion } from './store.ts';
import { validateRows, type ValidationReport } from './validate.ts';
import { readVersionRows } from './version-rows.ts';
import { createSuiteRunner, suggestSuite, type ExpectationSuite } from './validation/index.ts';

/** One dataset of a project. */
export interface DatasetRef {
  project: string;
  dataset: string;
}

/** The version, after checking the project exists; NOT_FOUND (issue path `version`) otherwise. */
export async function requireVersion(deps: HubDeps, ref: VersionRef): Promise<DatasetVersion> {
  await createProjectStore(deps.db).require(ref.project);
  return findVersion(deps, ref);
}

/**
 * Attach a suite to a dataset: every new version is validated against it. A suite that cannot run
 * on the latest version (an unknown column) is refused now rather than flagging every version.
 * @throws OutpostError NOT_FOUND (project), VALIDATION_FAILED (issue paths such as `expectations.2.column`).
 * @example const { sha256 } = await attachSuite(deps, { project: 'demo', dataset: 'penguins', suite });
 */
export async function attachSuite(deps: HubDeps, input: DatasetRef & { suite: ExpectationSuite }): Promise<{ dataset: string; sha256: string; suite: ExpectationSuite }> {
  const { project, dataset, suite } = input;
  const store = createDatasetStore(deps.db);
  await createProjectStore(deps.db).require(project);
  const latest = await store.getVersion(project, dataset);
  if (latest) createSuiteRunner(suite, latest.columns.map((col) => col.name));
  const sha256 = await putJson(deps.blobs, suite);
  await store.setSuite(project, dataset, sha256, deps.clock());
  return { dataset, sha256, suite };
}

/**
 * The suite attached to a dataset, or null when none is.
 * @example const attached = await attachedSuite(deps, { project: 'demo', dataset: 'penguins' });
 */
export async function attachedSuite(deps: HubDeps, ref: DatasetRef): Promise<{ sha256: string; suite: ExpectationSuite } | null> {
  const sha256 = await createDatasetStore(deps.db).suiteOf(ref.project, ref.dataset);
  const suite = sha256 ? await getJson<ExpectationSuite>(deps.blobs, sha256) : null;
  return sha256 && suite ? { sha256, suite } : null;
}

/**
 * Validate a version against `suite`, or the dataset's attached suite when none is given. Stores nothing.
 * A given suite that names columns the version lacks is the caller's mistake (VALIDATION_FAILED), not a report.
 * @throws OutpostError NOT_FOUND (project, `version`), VALIDATION_FAILED (`suite`: none given and none attached; `expectations.N.…`).
 * @example const report = await validateVersion(deps, { project: 'demo', dataset: 'penguins', version: 3 });
 */
export async function validateVersion(deps: HubDeps, input: VersionRef & { suite?: ExpectationSuite | undefined }): Promise<ValidationReport> {
  const v = await requireVersion(deps, input);
  const suite = input.suite ?? (await attachedSuite(deps, input))?.suite;
  if (!suite) throw new OutpostError('VALIDATION_FAILED', `send a suite, or attach one to dataset ${input.dataset}`, { issues: [{ path: 'suite', message: 'required: no suite is attached' }] });
  const columns = v.columns.map((col) => col.name);
  if (input.suite) createSuiteRunner(input.suite, columns);
  return validateRows(suite, await readVersionRows(deps, v), columns);
}

/**
 * A suite suggested from a version's profile, with `tolerance` (0–10, a fraction of the observed
 * spread) around what was seen. Named `<dataset>-v<version>-suggested`.
 * @example const suite = await suggestVersionSuite(deps, { project: 'demo', dataset: 'penguins', version: 1, tolerance: 0.1 });
 */
export async function suggestVersionSuite(deps: HubDeps, input: VersionRef & { tolerance: number }): Promise<ExpectationSuite> {
  const v = await requireVersion(deps, input);
  return suggestSuite(await profileOfVersion(deps, v), { tolerance: input.tolerance, name: `${input.dataset}-v${input.version}-suggested` });
}
