import { OutpostError } from '@outpost/shared';
import type { ModelCache } from './cache.ts';
import type { ModelSource } from './download.ts';
import type { VerifiedModel } from './verify.ts';

export type ModelOrigin = 'network' | 'cache';

export interface ResolvedModel<S> extends VerifiedModel {
  session: S;
  source: ModelOrigin;
  /** What went wrong on the way, in order ("network: …", "cache: …"); empty on the happy path. */
  failures: string[];
}

/**
 * Pick the model to run, as a priority list with every failure recorded: the hub's current
 * version (downloaded unless the cache already holds those exact bytes), then the last good cached
 * one. A model is cached only after it verified *and* opened, so a bad download never replaces a
 * good model. Rejects MODEL_UNAVAILABLE, naming every failure, when nothing is usable.
 */
export async function resolveModel<S>(input: {
  model: string;
  cache: ModelCache;
  source: ModelSource;
  open: (model: VerifiedModel) => Promise<S>;
}): Promise<ResolvedModel<S>> {
  const { model, cache, source, open } = input;
  const failures: string[] = [];
  const cached = await cache.get(model).catch((e: unknown) => {
    failures.push(`cache: ${messageOf(e)}`);
    return undefined;
  });

  let lastError: unknown;
  const candidates: Array<{ model: VerifiedModel; source: ModelOrigin }> = [];
  try {
    const latest = await source.fetchManifest(model);
    if (cached && cached.manifest.version === latest.manifest.version && cached.manifest.artifact.sha256 === latest.manifest.artifact.sha256) {
      candidates.push({ model: cached, source: 'cache' });
    } else {
      const bytes = await source.fetchArtifact(latest.manifest);
      candidates.push({ model: { ...latest, bytes }, source: 'network' });
    }
  } catch (e) {
    lastError = e;
    failures.push(`network: ${messageOf(e)}`);
  }
  if (cached && !candidates.some((c) => c.model === cached)) candidates.push({ model: cached, source: 'cache' });

  for (const candidate of candidates) {
    try {
      const session = await open(candidate.model);
      if (candidate.source === 'network') {
        await cache.put(model, candidate.model).catch((e: unknown) => failures.push(`cache write: ${messageOf(e)}`));
      }
      return { ...candidate.model, session, source: candidate.source, failures };
    } catch (e) {
      lastError = e;
      failures.push(`${candidate.source} v${candidate.model.manifest.version}: runtime: ${messageOf(e)}`);
    }
  }
  const reasons = failures.length > 0 ? failures.join('; ') : 'nothing cached';
  throw new OutpostError('MODEL_UNAVAILABLE', `no usable model "${model}": ${reasons}`, { cause: lastError });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
