import { OutpostError, type ReferenceProfile } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { getJson } from '../blobs/json-blobs.ts';
import { createRegistryOperations } from '../registry/operations.ts';
import { createRegistryStore } from '../registry/store.ts';
import { driftWindow, type DriftOptions, type DriftReport, type LoggedOutput } from './drift-engine/index.ts';
import { createInferenceStore } from './store.ts';

/** Most records one report folds: a request stays short (about a second on Node); the report says when it stopped there. */
export const DRIFT_MAX_RECORDS = 200_000;
const PAGE = 5_000;

export interface DriftWindowReport extends DriftReport {
  model: string;
  version: number;
  from: number;
  to: number;
  /** Records folded: the window's, or its oldest DRIFT_MAX_RECORDS when `truncated`. */
  records: number;
  truncated: boolean;
}

/**
 * Drift of what devices sent a model version over [from, to) (hub time, skew-corrected), against
 * the version's reference profile. `version` defaults to the one the production alias points at.
 * @example const report = await createDriftService(deps).report({ project: 'demo', model: 'penguins', from, to });
 */
export function createDriftService(deps: HubDeps) {
  const registry = createRegistryStore(deps.db);
  const ops = createRegistryOperations(deps);
  const inferences = createInferenceStore(deps.db);

  return {
    async report(input: { project: string; model: string; version?: number | undefined; from: number; to: number; options?: DriftOptions }): Promise<DriftWindowReport> {
      const modelId = await registry.requireModel(input.project, input.model);
      const version = input.version ?? (await registry.getAlias(modelId, 'production'))?.version;
      if (version === undefined) throw new OutpostError('VALIDATION_FAILED', `model ${input.model} has no production version: name one with version=`, { issues: [{ path: 'version', message: 'required: no production alias' }] });
      const { v } = await ops.requireVersion(input.project, input.model, version);
      const reference = v.referenceSha256 ? await getJson<ReferenceProfile>(deps.blobs, v.referenceSha256) : null;
      if (!reference) throw new OutpostError('NOT_FOUND', `model ${input.model} version ${version} has no reference profile to compare with (upload it with a reference dataset version, or train it on the hub)`, { issues: [{ path: 'version', message: 'no reference profile' }] });
      const label = v.signature.features.label;
      const window = driftWindow(reference, label.task === 'regression' ? [] : label.classes);
      let after: { observedAt: number; id: string } | undefined;
      let truncated = false;
      for (;;) {
        const limit = Math.min(PAGE, DRIFT_MAX_RECORDS - window.records);
        const rows = await inferences.windowPage(input.project, input.model, version, input, { after, limit });
        for (const r of rows) window.add(r.input as Parameters<typeof window.add>[0], r.output as LoggedOutput);
        if (rows.length < limit) break;
        if (window.records >= DRIFT_MAX_RECORDS) {
          truncated = true;
          break;
        }
        const last = rows[rows.length - 1]!;
        after = { observedAt: last.observedAt, id: last.id };
      }
      return { model: input.model, version, from: input.from, to: input.to, ...window.report(input.options), truncated };
    },
  };
}
export type DriftService = ReturnType<typeof createDriftService>;
