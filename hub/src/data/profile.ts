import { createProfiler, type DatasetProfile, type RawRecord } from '@outpost/shared';
import { getJson, putJson } from '../blobs/json-blobs.ts';
import type { HubDeps } from '../deps.ts';
import { profileTypeOf, type ColumnInfo } from './column-types.ts';
import { readVersionRows } from './version-rows.ts';
import { createDatasetStore, type DatasetVersion } from './store.ts';

/** Profile parsed rows (one pass, mergeable sketches: see @outpost/shared profile/). */
export function profileRows(rows: readonly RawRecord[], columns: readonly ColumnInfo[]): DatasetProfile {
  const profiler = createProfiler(columns.map((c) => ({ name: c.name, type: profileTypeOf(c.type) })));
  for (const row of rows) profiler.add(row);
  return profiler.result();
}

/**
 * The stored profile of a version, or one made now (and stored) for a version uploaded before
 * profiling existed: a profile is derived data, the version itself never changes.
 */
export async function profileOfVersion(deps: HubDeps, v: DatasetVersion): Promise<DatasetProfile> {
  const stored = v.profileSha256 ? await getJson<DatasetProfile>(deps.blobs, v.profileSha256) : null;
  if (stored) return stored;
  const profile = profileRows(await readVersionRows(deps, v), v.columns);
  await createDatasetStore(deps.db).setProfile(v.id, await putJson(deps.blobs, profile));
  return profile;
}
