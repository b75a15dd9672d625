import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import type { HubTarget } from './api-suite.ts';

/**
 * A hub for the rollout suite. `preseeded`: project `fleet` with model `species` versions 1 and 2
 * (version 1 in production) already exist (ROLLOUT_SEED_SQL; a Workers hub cannot register models).
 * `tick`: run the platform's periodic evaluation (the Workers cron); without it the suite asks
 * for the evaluation over the API.
 */
export interface RolloutTarget extends HubTarget {
  preseeded?: boolean;
  tick?: () => Promise<void>;
}

const SIGNATURE = {
  input: { name: 'input', shape: [-1, 2], type: 'float32' },
  output: { name: 'probabilities', shape: [-1, 3], type: 'float32' },
  features: { features: [{ name: 'f0', kind: 'numeric', mean: 0, std: 1 }, { name: 'f1', kind: 'numeric', mean: 1, std: 1 }], label: { name: 'label', classes: ['c0', 'c1', 'c2'] } },
};
const FAKE_SHA = 'ab'.repeat(32);

/** What `preseeded` means, as SQL on a freshly migrated database. */
export const ROLLOUT_SEED_SQL = [
  `INSERT INTO projects (id, created_at) VALUES ('fleet', 1);`,
  `INSERT INTO models (id, project_id, name, min_version, created_at) VALUES (1, 'fleet', 'species', 1, 1);`,
  ...[1, 2].map((v) => `INSERT INTO model_versions (model_id, version, artifact_sha256, artifact_size, signature, created_at) VALUES (1, ${v}, '${FAKE_SHA}', 363, '${JSON.stringify(SIGNATURE)}', ${v});`),
  `INSERT INTO model_aliases (model_id, alias, version, updated_at, updated_by) VALUES (1, 'production', 1, 1, 'seed');`,
].join('\n');

type Assignment = { version: number; bucket: number; reason: string; detail?: string };
type Rollout = { production: number | null; percent: number; policy: { state: string; candidate: number | null; stage: number }; guards: { version: number; role: string; metrics: { samples: number; errors: number; errorRate: number | null } }[]; mix: { version: number; devices: number }[] };

/** Rollouts through the API, as devices and people meet them: the same tests on every build. */
export function defineRolloutSuite(name: string, start: () => Promise<RolloutTarget>) {
  describe(`rollouts on ${name}`, () => {
    let hub: RolloutTarget;
    let projectKey: string;
    const api = (path: string, init: RequestInit & { token?: string } = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${init.token ?? hub.adminToken}`);
      return fetch(`${hub.baseUrl}${path}`, { ...init, headers });
    };
    const send = (method: string, path: string, body?: unknown) =>
      api(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const R = '/v1/projects/fleet/models/species/rollout';
    const rollout = async () => (await (await api(R)).json()) as Rollout;
    const manifest = (query: string, headers: Record<string, string> = {}) => api(`/v1/device/models/species/manifest${query}`, { token: projectKey, headers });
    const assignmentOf = async (installId: string) => ((await (await manifest(`?installId=${installId}&platform=linux`)).json()) as { assignment: Assignment }).assignment;
    const installs = Array.from({ length: 40 }, (_, i) => `fleet-install-${String(i).padStart(3, '0')}`);
    let seq = 0;
    const sync = async (deviceId: string, version: number, n: number, errors: number) => {
      const records: InferenceRecord[] = Array.from({ length: n }, (_, i) => ({
        id: `fleet-${deviceId}-${++seq}`,
        seq,
        model: 'species',
        modelVersion: version,
        executionProvider: 'wasm',
        latencyMs: 2 + (i % 5),
        createdAt: Date.now(),
        input: { f0: i, f1: 1 },
        output: i < errors ? { error: 'session.run: out of memory' } : { label: 'c1', probabilities: [0.1, 0.8, 0.1] },
      }));
      const res = await api('/v1/device/inferences', { method: 'POST', token: projectKey, body: JSON.stringify({ deviceId, records }), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
    };

    beforeAll(async () => {
      hub = await start();
      if (hub.preseeded) {
        projectKey = ((await (await send('POST', '/v1/projects/fleet/keys')).json()) as { projectKey: string }).projectKey;
      } else {
        projectKey = ((await (await send('POST', '/v1/projects', { id: 'fleet' })).json()) as { projectKey: string }).projectKey;
        const { uploadForm } = await import('../../hub/src/registry/test-support.ts');
        for (let i = 0; i < 2; i++) {
          const form = uploadForm(2, 3);
          expect((await api('/v1/projects/fleet/models/species/versions', { method: 'POST', body: form })).status).toBe(201);
        }
        expect((await send('POST', '/v1/projects/fleet/models/species/versions/1/publish')).status).toBe(200);
      }
      expect(projectKey).toMatch(/^opk_/);
    }, 180_000);
    afterAll(async () => hub?.stop());

    it('keeps everyone on production until a rollout starts, and refuses a bad policy naming the field', async () => {
      expect(await rollout()).toMatchObject({ production: 1, percent: 0, policy: { state: 'idle', candidate: null } });
      expect(await assignmentOf(installs[0]!)).toMatchObject({ version: 1, reason: 'default' });
      for (const [body, path] of [
        [{ stages: [50, 20, 100] }, 'stages.1'],
        [{ rules: [{ name: 'old apps', version: 2, when: { appVersion: 'one point four' } }] }, 'rules.0.when.appVersion'],
        [{ weights: { '1': 70, '2': 20 } }, 'weights'],
      ] as const) {
        const res = await send('PUT', R, body);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(path);
      }
      const badDevice = await manifest('?installId=fleet-install-000&webgpu=perhaps');
      expect(badDevice.status).toBe(400);
      expect(((await badDevice.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('webgpu');
      expect((await api(R, { token: projectKey })).status).toBe(401);
    });

    it('starts a staged rollout: devices get the candidate by stable bucket, with ETags', async () => {
      const started = await send('POST', `${R}/start`, { version: 2, stages: [20, 100], stageMinutes: 60, guards: { minSamples: 10 }, reason: 'retrained on June data' });
      expect(started.status).toBe(200);
      expect(await started.json()).toMatchObject({ percent: 20, policy: { state: 'running', candidate: 2, stage: 0 } });

      const assignments: Assignment[] = [];
      for (const id of installs) assignments.push(await assignmentOf(id));
      for (const a of assignments) {
        expect(a.reason).toBe('rollout');
        expect(a.version).toBe(a.bucket < 2000 ? 2 : 1);
      }
      const candidates = assignments.filter((a) => a.version === 2).length;
      expect(candidates).toBeGreaterThan(0);
      expect(candidates).toBeLessThan(installs.length / 2);
      // Stable: the same device asks again and gets the same bucket.
      expect(await assignmentOf(installs[0]!)).toEqual(assignments[0]);

      const first = await manifest(`?installId=${installs[1]}&platform=linux`);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(first.headers.get('cache-control')).toBe('no-cache');
      expect((await manifest(`?installId=${installs[1]}&platform=linux`, { 'if-none-match': etag! })).status).toBe(304);
      // An SDK that sends no device context runs production and gets no assignment.
      const legacy = (await (await manifest('')).json()) as { assignment?: unknown; payload: string };
      expect(legacy.assignment).toBeUndefined();
      expect(JSON.parse(Buffer.from(legacy.payload, 'base64url').toString('utf8'))).toMatchObject({ version: 1 });

      const evaluated = (await (await send('POST', `${R}/evaluate`)).json()) as { event: unknown; waiting: string };
      expect(evaluated).toMatchObject({ event: null, waiting: expect.stringContaining('the stage runs until') });
    });

    it('rolls back by itself when devices report failed predictions, and audits it', async () => {
      const onCandidate: string[] = [];
      for (const id of installs) if ((await assignmentOf(id)).version === 2) onCandidate.push(id);
      await sync(onCandidate[0]!, 2, 30, 12);
      await sync('fleet-prod-device-1', 1, 20, 0);
      const watched = await rollout();
      expect(watched.guards.find((g) => g.version === 2)).toMatchObject({ role: 'candidate', metrics: { samples: 30, errors: 12, errorRate: 0.4 } });
      expect(watched.guards.find((g) => g.version === 1)).toMatchObject({ role: 'production', metrics: { samples: 20, errors: 0 } });
      expect(watched.mix).toEqual(expect.arrayContaining([{ version: 1, devices: 1, predictions: 20 }, { version: 2, devices: 1, predictions: 30 }]));

      if (hub.tick) await hub.tick();
      else expect(((await (await send('POST', `${R}/evaluate`)).json()) as { event: { action: string } }).event.action).toBe('rollout.rollback');
      let state = '';
      for (let i = 0; i < 50 && state !== 'rolled_back'; i++) {
        state = (await rollout()).policy.state;
        if (state !== 'rolled_back') await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe('rolled_back');
      expect(await assignmentOf(onCandidate[0]!)).toMatchObject({ version: 1, reason: 'default' });

      const audit = (await (await api('/v1/projects/fleet/audit?model=species')).json()) as { entries: { actor: string; action: string; reason: string | null }[] };
      expect(audit.entries[0]).toMatchObject({ actor: 'system', action: 'rollout.rollback', reason: 'version 2: error rate 0.400 > max 0.05 (30 samples)' });
      expect(audit.entries.find((e) => e.action === 'rollout.start')).toMatchObject({ actor: expect.stringMatching(/^admin-token-/), reason: 'retrained on June data' });
    });

    it('pins QA devices and previews what a device would get', async () => {
      expect((await send('PUT', `${R}/pins/qa-tablet-01`, { version: 2 })).status).toBe(200);
      const preview = (await (await api(`${R}/assignment?installId=qa-tablet-01&platform=android`)).json()) as { version: number; assignment: Assignment };
      expect(preview).toMatchObject({ version: 2, assignment: { reason: 'pinned' } });
      expect(await assignmentOf('qa-tablet-01')).toMatchObject({ version: 2, reason: 'pinned' });
      expect((await send('DELETE', `${R}/pins/qa-tablet-01`)).status).toBe(200);
      expect(await assignmentOf('qa-tablet-01')).toMatchObject({ version: 1, reason: 'default' });
    });

    it('while a rollout is live, publishing another version is refused (409) and publishing its candidate completes it', async () => {
      expect((await send('POST', `${R}/start`, { version: 2, stages: [10, 100], stageMinutes: 60 })).status).toBe(200);
      const publish = (version: number) => send('POST', `/v1/projects/fleet/models/species/versions/${version}/publish`, { reason: 'by hand' });
      const refused = await publish(1);
      expect(refused.status).toBe(409);
      const body = (await refused.json()) as { error: { message: string; issues: { path: string; message: string }[] } };
      expect(body.error.message).toMatch(/a rollout of version 2 is running for species: roll it back .* before moving production to version 1/);
      expect(body.error.issues[0]).toEqual({ path: 'version', message: 'a rollout of version 2 is running' });
      expect((await rollout()).policy).toMatchObject({ state: 'running', candidate: 2 }); // nothing changed

      expect((await publish(2)).status).toBe(200);
      expect(await rollout()).toMatchObject({ production: 2, percent: 0, policy: { state: 'completed', candidate: 2 } });
      expect(await assignmentOf(installs[5]!)).toMatchObject({ version: 2, reason: 'default' });
      const audit = (await (await api('/v1/projects/fleet/audit?model=species')).json()) as { entries: { action: string; reason: string | null }[] };
      expect(audit.entries.slice(0, 2)).toMatchObject([{ action: 'rollout.complete', reason: 'published by hand' }, { action: 'version.publish', reason: 'by hand' }]);
    });
  });
}
