import { OutpostError, type Assignment, type Manifest } from '@outpost/shared';
import type { Emitter } from '../events.ts';
import type { ModelKey, ModelState } from '../storage/db.ts';
import type { ModelCache } from './cache.ts';
import type { FetchedManifest, ModelSource } from './download.ts';
import { checkFreshness } from './freshness.ts';
import { sameKey } from './model-store.ts';
import type { VerifiedModel } from './verify.ts';

export type ModelOrigin = 'network' | 'cache';

/** A model running on this device. `inFlight` counts predictions on it, so a replaced session is released only after they finish. */
export interface LocalModel<S> extends VerifiedModel {
  kind: 'local';
  session: S;
  source: ModelOrigin;
  key: ModelKey;
  inFlight: number;
  retired: boolean;
}
/** No model runs on this device, but the hub answers: predictions go to its fallback endpoint. */
export interface ServerModel {
  kind: 'server';
  manifest: Manifest;
}
export type ActiveModel<S> = LocalModel<S> | ServerModel;

export interface DownloadState {
  state: 'idle' | 'downloading' | 'verifying' | 'loading' | 'failed';
  version?: number;
  loaded?: number;
  total?: number;
  error?: string;
}

export interface ManifestCheck {
  /** Epoch ms (the client's clock). */
  at: number;
  /** updated: a new model runs; unchanged: the hub's choice already runs (or failed before); not_modified: 304. */
  outcome: 'updated' | 'unchanged' | 'not_modified' | 'refused' | 'failed';
  message?: string;
}

export interface DeliveryStats {
  assignment?: Assignment;
  download: DownloadState;
  lastManifestCheck?: ManifestCheck;
  /** Manifests and models refused, by reason: expired, replay, below_min_version, signature, artifact, runtime. */
  modelRefusals: Record<string, number>;
  /** What went wrong on the way to the model that runs, in order; empty when it is the hub's choice. */
  failures: string[];
}

export interface ModelDelivery<S> {
  /** Pick the first model to run (rejects MODEL_UNAVAILABLE naming every failure). */
  start(): Promise<ActiveModel<S>>;
  /** Ask the hub again (ETag), and move to a new version once it is downloaded, verified and loaded. Never rejects. */
  check(): Promise<void>;
  active(): ActiveModel<S> | undefined;
  /** Where the ModelSource reports download progress (its `onProgress`). */
  progress(manifest: Manifest, loaded: number, total: number): void;
  stats(): DeliveryStats;
  /** Stop using the model; its session is released once predictions on it finish. */
  close(): void;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const keyFor = (model: string, m: Manifest): ModelKey => [model, m.version, m.artifact.sha256];

/** Release a replaced session once the predictions running on it have finished. */
export function retire<S extends { release(): Promise<void> }>(m: LocalModel<S>): void {
  m.retired = true;
  if (m.inFlight === 0) void m.session.release().catch(() => undefined);
}

/**
 * The model a client runs, and its replacement: a candidate replaces the running model only after
 * its manifest is verified and fresh (see checkFreshness), its bytes match, and its session opened.
 * Every failure is recorded; a failed candidate never replaces the running model.
 */
export function createModelDelivery<S extends { release(): Promise<void> }>(input: {
  model: string;
  cache: ModelCache;
  source: ModelSource;
  open: (model: VerifiedModel) => Promise<S>;
  now: () => number;
  /** The device context as the manifest request's query (computed once). */
  query: () => Promise<string>;
  serverFallback: boolean;
  /** 'cache-first': run the cached version at once and ask the hub in the background (OutpostOptions.startup). Default: 'network-first'. */
  startup?: 'cache-first' | 'network-first';
  emit: Emitter['emit'];
}): ModelDelivery<S> {
  const { model, cache, source, open, now, emit } = input;
  let current: ActiveModel<S> | undefined;
  let closed = false;
  let etag: string | undefined;
  let assignment: Assignment | undefined;
  let download: DownloadState = { state: 'idle' };
  let lastCheck: ManifestCheck | undefined;
  let failures: string[] = [];
  let checking: Promise<void> | undefined;
  const refusals: Record<string, number> = {};
  /** Artifacts that failed verification or did not load: not tried again by this client. */
  const bad = new Set<string>();

  const refuse = (reason: string) => (refusals[reason] = (refusals[reason] ?? 0) + 1);

  /** Fetch a manifest and judge it; persists the new freshness when accepted. */
  async function fetchFresh(state: ModelState, withEtag: boolean): Promise<{ fetched?: FetchedManifest; state: ModelState; check: ManifestCheck; error?: unknown }> {
    const at = now();
    let fetched: FetchedManifest | 'not-modified';
    try {
      fetched = await source.fetchManifest(model, { query: await input.query(), etag: withEtag ? etag : undefined });
    } catch (e) {
      const integrity = e instanceof OutpostError && e.code === 'INTEGRITY';
      if (integrity) refuse('signature');
      return { state, check: { at, outcome: integrity ? 'refused' : 'failed', message: messageOf(e) }, error: e };
    }
    if (fetched === 'not-modified') return { state, check: { at, outcome: 'not_modified' } };
    const verdict = checkFreshness(fetched.manifest, state, now());
    if (!verdict.ok) {
      refuse(verdict.reason);
      const message = `manifest refused: ${verdict.message}`;
      return { state, check: { at, outcome: 'refused', message }, error: new OutpostError('INTEGRITY', message) };
    }
    const next = { ...state, ...verdict.next };
    if (next.issuedAt !== state.issuedAt || next.minVersion !== state.minVersion) await cache.saveState(model, next).catch(() => undefined);
    etag = fetched.etag;
    assignment = fetched.assignment;
    return { fetched, state: next, check: { at, outcome: 'unchanged' } };
  }

  async function downloadBytes(fetched: FetchedManifest): Promise<VerifiedModel> {
    const { manifest } = fetched;
    download = { state: 'downloading', version: manifest.version, loaded: 0, total: manifest.artifact.size };
    try {
      const bytes = await source.fetchArtifact(manifest);
      return { signed: fetched.signed, manifest, bytes };
    } catch (e) {
      if (e instanceof OutpostError && e.code === 'INTEGRITY') {
        bad.add(manifest.artifact.sha256);
        refuse('artifact');
      }
      download = { state: 'failed', version: manifest.version, error: messageOf(e) };
      throw e;
    }
  }

  /** Progress of the shared download (ModelSource's onProgress lands here). */
  function progress(manifest: Manifest, loaded: number, total: number): void {
    if (download.version === manifest.version && download.state === 'downloading') {
      download = { state: loaded >= total ? 'verifying' : 'downloading', version: manifest.version, loaded, total };
    }
    emit('download', { version: manifest.version, loaded, total });
  }

  async function tryOpen(candidate: VerifiedModel, origin: ModelOrigin, errors: string[]): Promise<LocalModel<S> | undefined> {
    const { manifest } = candidate;
    if (origin === 'network') download = { ...download, state: 'loading', version: manifest.version };
    try {
      const session = await open(candidate);
      if (origin === 'network') download = { state: 'idle' };
      return { kind: 'local', ...candidate, session, source: origin, key: keyFor(model, manifest), inFlight: 0, retired: false };
    } catch (e) {
      bad.add(manifest.artifact.sha256);
      refuse('runtime');
      const message = `${origin} v${manifest.version}: runtime: ${messageOf(e)}`;
      errors.push(message);
      if (origin === 'network') download = { state: 'failed', version: manifest.version, error: message };
      return undefined;
    }
  }

  /**
   * Open a cached version while its signature and hash are checked again, side by side (the check
   * costs what a fifth of a small model's session does, and grows with the model). The session is
   * used only once the check has passed, and released when it fails. Throws the cache's error.
   */
  async function openCached(key: ModelKey, errors: string[]): Promise<LocalModel<S> | undefined> {
    let read: Awaited<ReturnType<ModelCache['read']>>;
    try {
      read = await cache.read(model, key);
    } catch (e) {
      errors.push(`cache: ${messageOf(e)}`);
      throw e;
    }
    if (!read) return undefined;
    const session = open(read.unverified).then(
      (s) => ({ s }),
      (e: unknown) => ({ e }),
    );
    let verified: VerifiedModel;
    try {
      verified = await read.verify();
    } catch (e) {
      void session.then((r) => ('s' in r ? r.s.release() : undefined)).catch(() => undefined);
      errors.push(`cache: ${messageOf(e)}`);
      throw e;
    }
    const opened = await session;
    if ('e' in opened) {
      bad.add(verified.manifest.artifact.sha256);
      refuse('runtime');
      errors.push(`cache v${verified.manifest.version}: runtime: ${messageOf(opened.e)}`);
      return undefined;
    }
    return { kind: 'local', ...verified, session: opened.s, source: 'cache', key: keyFor(model, verified.manifest), inFlight: 0, retired: false };
  }

  /** Make `next` the running model on disk: it runs, the one before is the fallback, older ones go. */
  async function remember(next: LocalModel<S>, state: ModelState, before: ModelKey | undefined, errors: string[]): Promise<void> {
    if (sameKey(state.running, next.key)) return;
    const kept: ModelState = { ...state, running: next.key };
    if (before && !sameKey(before, next.key)) kept.previous = before;
    else delete kept.previous;
    const write = next.source === 'network' ? cache.keep(model, next, kept) : cache.saveState(model, kept);
    await write.catch((e: unknown) => errors.push(`cache write: ${messageOf(e)}`));
  }

  function useModel(next: ActiveModel<S>, errors: string[]): void {
    const before = current;
    current = next;
    failures = errors;
    const to = next.manifest.version;
    emit('model', { ...(before ? { from: before.manifest.version } : {}), to, source: next.kind === 'server' ? 'server' : next.source });
    if (before?.kind === 'local' && before !== next) retire(before);
  }

  /** Ask the hub again (ETag), and move to a new version once it is ready. Never rejects. */
  function check(): Promise<void> {
    if (!current || closed) return Promise.resolve();
    checking ??= (async () => {
      const state = await cache.state(model).catch(() => ({ issuedAt: 0, minVersion: 0 }) as ModelState);
      const fresh = await fetchFresh(state, true);
      lastCheck = fresh.check;
      if (fresh.error) {
        emit('error', { where: 'manifest', message: messageOf(fresh.error) });
        if (fresh.check.outcome === 'refused') failures = [`network: ${messageOf(fresh.error)}`];
        return;
      }
      const latest = fresh.fetched;
      const running = current;
      if (!latest || !running || closed) return;
      const key = keyFor(model, latest.manifest);
      if (running.kind === 'local' && sameKey(running.key, key)) {
        failures = [];
        return;
      }
      if (bad.has(key[2])) {
        lastCheck = { ...fresh.check, message: `v${key[1]} failed before on this device` };
        return;
      }
      const errors: string[] = [];
      let candidate: { model: VerifiedModel; origin: ModelOrigin } | undefined;
      const kept = sameKey(fresh.state.previous, key) ? await cache.get(model, key).catch(() => undefined) : undefined;
      if (kept) candidate = { model: kept, origin: 'cache' };
      else {
        try {
          candidate = { model: await downloadBytes(latest), origin: 'network' };
        } catch (e) {
          errors.push(`network: ${messageOf(e)}`);
        }
      }
      const opened = candidate && !closed ? await tryOpen(candidate.model, candidate.origin, errors) : undefined;
      if (!opened || closed) {
        if (opened) await opened.session.release().catch(() => undefined);
        failures = errors;
        const message = errors.join('; ');
        lastCheck = { ...fresh.check, message };
        emit('error', { where: errors.some((e) => e.includes(': runtime: ')) ? 'model' : 'download', message });
        return;
      }
      await remember(opened, fresh.state, running.kind === 'local' ? running.key : fresh.state.running, errors);
      lastCheck = { ...fresh.check, outcome: 'updated' };
      useModel(opened, errors);
    })().finally(() => (checking = undefined));
    return checking;
  }

  return {
    async start() {
      const errors: string[] = [];
      let lastError: unknown;
      let state = await cache.state(model).catch(() => ({ issuedAt: 0, minVersion: 0 }) as ModelState);
      const fromCache = (key: ModelKey | undefined) =>
        cache.get(model, key).catch((e: unknown) => {
          errors.push(`cache: ${messageOf(e)}`);
          lastError = e;
          return undefined;
        });
      let tried = false;
      if (input.startup === 'cache-first' && state.running) {
        // The version that ran last, at once; the hub's choice is fetched in the background and
        // swapped in when it differs. Only when this one fails is the hub asked first.
        tried = true;
        const opened = closed ? undefined : await openCached(state.running, errors).catch((e: unknown) => ((lastError = e), undefined));
        if (opened) {
          if (closed) {
            await opened.session.release().catch(() => undefined);
            throw new OutpostError('MODEL_UNAVAILABLE', 'client is closed');
          }
          useModel(opened, errors);
          // After this task: the app's first predictions go before the manifest request and its checks.
          setTimeout(() => void check(), 0);
          return opened;
        }
      }
      const [running, fresh] = await Promise.all([tried ? undefined : fromCache(state.running), fetchFresh(state, false)]);
      lastCheck = fresh.check;
      state = fresh.state;
      if (fresh.error) {
        errors.push(`network: ${messageOf(fresh.error)}`);
        lastError = fresh.error;
      }

      const candidates: Array<{ model: VerifiedModel; origin: ModelOrigin }> = [];
      const latest = fresh.fetched;
      if (latest) {
        const key = keyFor(model, latest.manifest);
        const kept = running && sameKey(keyFor(model, running.manifest), key) ? running : sameKey(state.previous, key) ? await fromCache(state.previous) : undefined;
        if (kept) candidates.push({ model: kept, origin: 'cache' });
        else {
          try {
            candidates.push({ model: await downloadBytes(latest), origin: 'network' });
          } catch (e) {
            errors.push(`network: ${messageOf(e)}`);
            lastError = e;
          }
        }
      }
      if (running && !candidates.some((c) => c.model === running)) candidates.push({ model: running, origin: 'cache' });

      let runtimeFailed = false;
      let previousTried = false;
      for (let i = 0; ; i++) {
        let candidate = candidates[i];
        if (!candidate && !previousTried) {
          // Last resort: the previous good version, read only when nothing before it worked.
          previousTried = true;
          const previous = state.previous && !candidates.some((c) => sameKey(keyFor(model, c.model.manifest), state.previous)) ? await fromCache(state.previous) : undefined;
          if (previous) candidates.push((candidate = { model: previous, origin: 'cache' }));
        }
        if (!candidate) break;
        const opened = await tryOpen(candidate.model, candidate.origin, errors);
        if (!opened) {
          runtimeFailed = true;
          continue;
        }
        if (closed) {
          await opened.session.release().catch(() => undefined);
          throw new OutpostError('MODEL_UNAVAILABLE', 'client is closed');
        }
        // The version that ran before stays as the fallback, if it still verifies and loads.
        const before = running && !bad.has(running.manifest.artifact.sha256) ? keyFor(model, running.manifest) : state.previous;
        await remember(opened, state, before, errors);
        useModel(opened, errors);
        return opened;
      }
      if (input.serverFallback && latest && runtimeFailed && !closed) {
        const server: ServerModel = { kind: 'server', manifest: latest.manifest };
        useModel(server, errors);
        return server;
      }
      const reasons = errors.length > 0 ? errors.join('; ') : 'nothing cached';
      throw new OutpostError('MODEL_UNAVAILABLE', `no usable model "${model}": ${reasons}`, { cause: lastError });
    },

    check,

    active: () => current,
    progress,

    stats() {
      return {
        ...(assignment ? { assignment } : {}),
        download: { ...download },
        ...(lastCheck ? { lastManifestCheck: { ...lastCheck } } : {}),
        modelRefusals: { ...refusals },
        failures: [...failures],
      };
    },

    close() {
      closed = true;
      if (current?.kind === 'local') retire(current);
      current = undefined;
    },
  };
}

