import { createServer, type Server } from 'node:http';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { encodeRecords, verifyManifest, sha256Hex, type DatasetProfile, type InferenceRecord, type SignedManifest, type TrustedKey } from '@outpost/shared';
import { penguinsJson, PENGUINS_LABEL } from '../support/penguins.ts';

/** A running hub reached over real HTTP: the Node build or the Workers build in workerd. */
export interface HubTarget {
  baseUrl: string;
  adminToken: string;
  /** Whether this build trains (Node) or answers 501 (Workers). */
  canTrain: boolean;
  /** The dataset upload limit the target was started with. */
  maxDatasetBytes: number;
  stop(): Promise<void>;
}

const CSV = 'species,island,bill\nAdelie,Torgersen,39.1\nGentoo,Biscoe,47.5\nAdelie,Dream,\n';

function record(i: number, over: Partial<InferenceRecord> = {}): InferenceRecord {
  return {
    id: `rec-${i}-${'x'.repeat(8)}`,
    seq: i,
    model: 'penguins',
    modelVersion: 1,
    executionProvider: 'wasm',
    latencyMs: 1.5,
    createdAt: 1_700_000_000_000 + i,
    input: { island: 'Biscoe', bill: 40 },
    output: { label: 'Adelie', probabilities: [0.9, 0.05, 0.05] },
    ...over,
  };
}

/** The hub's API contract: the same tests on every build. */
export function defineApiSuite(name: string, start: () => Promise<HubTarget>) {
  describe(`hub API on ${name}`, () => {
    let hub: HubTarget;
    let projectKey: string;
    const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
      const headers = new Headers(init.headers);
      const token = init.token === undefined ? hub.adminToken : init.token;
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${hub.baseUrl}${path}`, { ...init, headers });
    };
    const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const device = (path: string, init: RequestInit = {}) => api(path, { ...init, token: projectKey });

    beforeAll(async () => {
      hub = await start();
      const res = await api('/v1/projects', json({ id: 'demo' }));
      expect(res.status).toBe(201);
      projectKey = ((await res.json()) as { projectKey: string }).projectKey;
      expect(projectKey).toMatch(/^opk_/);
    }, 120_000);
    afterAll(async () => hub?.stop());

    it('answers health without auth, everything else only with a token', async () => {
      expect((await api('/health', { token: null })).status).toBe(200);
      const anonymous = await api('/v1/projects', { token: null });
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      expect((await api('/v1/projects', { token: 'opa_wrong' })).status).toBe(401);
      // A project key is not an admin token, and an admin token is not a project key.
      expect((await api('/v1/projects', { token: projectKey })).status).toBe(401);
      expect((await api('/v1/device/models/penguins/manifest')).status).toBe(401);
      expect((await api('/v1/openapi.json', { token: null })).status).toBe(401);
    });

    it('names the field of a bad request and refuses a taken project id', async () => {
      const bad = await api('/v1/projects', json({ id: 'Not A Name!' }));
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.issues[0]?.path).toBe('id');
      expect((await api('/v1/projects', json({ id: 'demo' }))).status).toBe(409);
    });

    it('stores uploads as immutable, content-addressed, numbered versions', async () => {
      const up = (body: string | Uint8Array<ArrayBuffer>, type = 'text/csv') =>
        api('/v1/projects/demo/datasets/tiny/versions', { method: 'POST', body, headers: { 'content-type': type } });
      const first = await up(CSV);
      expect(first.status).toBe(201);
      const v1 = (await first.json()) as { version: number; sha256: string; rowCount: number; columns: { name: string; type: string; missing: number }[] };
      expect(v1.version).toBe(1);
      expect(v1.sha256).toBe(await sha256Hex(new TextEncoder().encode(CSV)));
      expect(v1.rowCount).toBe(3);
      expect(v1.columns).toContainEqual({ name: 'bill', type: 'number', missing: 1 });
      expect(v1.columns.find((c) => c.name === 'island')?.type).toBe('categorical');

      const again = await up(CSV);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { version: number }).version).toBe(1);

      const second = await api('/v1/projects/demo/datasets/tiny/versions?message=add%20a%20chinstrap', {
        method: 'POST',
        body: CSV + 'Chinstrap,Dream,49\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(second.status).toBe(201);
      // Lineage: the previous version as parent, the operation, who and why.
      expect(await second.json()).toMatchObject({
        version: 2,
        parents: [{ dataset: 'tiny', version: 1 }],
        operation: { kind: 'upload', params: { format: 'csv' } },
        message: 'add a chinstrap',
        author: expect.stringMatching(/^admin-token-\d+$/),
      });

      const list = (await (await api('/v1/projects/demo/datasets/tiny/versions')).json()) as { versions: { version: number }[] };
      expect(list.versions.map((v) => v.version)).toEqual([2, 1]);
    });

    it('profiles each version: counts, missing values, moments, quantiles, histograms, top categories, correlations', async () => {
      const res = await api('/v1/projects/demo/datasets/tiny/versions/2/profile');
      expect(res.status).toBe(200);
      const profile = (await res.json()) as DatasetProfile;
      expect(profile.rowCount).toBe(4);
      const bill = profile.columns.find((c) => c.name === 'bill')!;
      // bill: 39.1, 47.5, (missing), 49 — computed here independently.
      const values = [39.1, 47.5, 49];
      const mean = values.reduce((a, b) => a + b) / values.length;
      expect(bill).toMatchObject({ type: 'numeric', count: 4, missing: 1, typeMismatches: 0, distinct: { value: 3, exact: true } });
      expect(bill.numeric!.mean).toBeCloseTo(mean, 9);
      expect(bill.numeric!.std).toBeCloseTo(Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length), 9);
      expect([bill.numeric!.min, bill.numeric!.quantiles.p50, bill.numeric!.max]).toEqual([39.1, 47.5, 49]);
      expect(bill.numeric!.histogram.counts.reduce((a, b) => a + b)).toBe(3);
      const species = profile.columns.find((c) => c.name === 'species')!;
      expect(species.categorical!.top).toEqual([
        { value: 'Adelie', count: 2 },
        { value: 'Chinstrap', count: 1 },
        { value: 'Gentoo', count: 1 },
      ]);
      expect((await api('/v1/projects/demo/datasets/tiny/versions/9/profile')).status).toBe(404);
    });

    it('validates versions against expectation suites, flags failing new versions, and suggests suites', async () => {
      const put = (suite: unknown) => api('/v1/projects/demo/datasets/tiny/suite', { method: 'PUT', body: JSON.stringify(suite), headers: { 'content-type': 'application/json' } });
      const unknown = await put({ name: 'bad', expectations: [{ type: 'not_null', column: 'beak' }] });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('expectations.0.column');
      expect((await put({ name: 'bad', expectations: [{ type: 'regex', column: 'species', pattern: '(' }] })).status).toBe(400);

      const suite = {
        name: 'tiny-checks',
        expectations: [
          { type: 'not_null', column: 'bill' },
          { type: 'in_set', column: 'species', values: ['Adelie', 'Gentoo', 'Chinstrap'] },
          { type: 'row_predicate', expression: "island != 'Torgersen' or bill < 40" },
          { type: 'row_count', min: 1, max: 10 },
        ],
      };
      expect((await put(suite)).status).toBe(200);
      expect(((await (await api('/v1/projects/demo/datasets/tiny/suite')).json()) as { suite: unknown }).suite).toEqual(suite);

      type Report = { success: boolean; expectations: { index: number; success: boolean; unexpectedCount: number; samples: { row: number }[] }[] };
      const report = (await (await api('/v1/projects/demo/datasets/tiny/versions/2/validate', { method: 'POST' })).json()) as Report;
      expect(report.success).toBe(false);
      expect(report.expectations.map((e) => [e.index, e.success, e.unexpectedCount])).toEqual([
        [0, false, 1],
        [1, true, 0],
        [2, true, 0],
        [3, true, 0],
      ]);
      expect(report.expectations[0]!.samples.map((x) => x.row)).toEqual([3]);

      // A new version is validated on upload and flagged, never refused.
      const v3 = await api('/v1/projects/demo/datasets/tiny/versions', {
        method: 'POST',
        body: 'species,island,bill\nAdelie,Torgersen,41\nEmperor,Dream,50\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(v3.status).toBe(201);
      expect(((await v3.json()) as { version: number; validationSuccess: boolean }).validationSuccess).toBe(false);
      const stored = (await (await api('/v1/projects/demo/datasets/tiny/versions/3/validation')).json()) as Report;
      expect(stored.expectations.filter((e) => !e.success).map((e) => [e.index, e.samples[0]?.row])).toEqual([
        [1, 2],
        [2, 1],
      ]);
      expect((await api('/v1/projects/demo/datasets/tiny/versions/1/validation')).status).toBe(404);

      const suggested = (await (await api('/v1/projects/demo/datasets/tiny/versions/2/suggested-suite')).json()) as { expectations: { type: string }[] };
      expect(suggested.expectations.map((e) => e.type)).toContain('row_count');
      const own = (await (await api('/v1/projects/demo/datasets/tiny/versions/2/validate', json({ suite: suggested }))).json()) as Report;
      expect(own.success).toBe(true);
      const wrong = await api('/v1/projects/demo/datasets/tiny/versions/2/validate', json({ suite: { name: 'x', expectations: [{ type: 'unique', column: 'nope' }] } }));
      expect(wrong.status).toBe(400);
    });

    it('diffs two versions row by row, by row hash or by a key column', async () => {
      type Diff = { mode: string; counts: Record<string, number>; samples: { added: { row: number }[]; changed: { key: string; changes: { column: string; from: unknown; to: unknown }[] }[] } };
      const byHash = (await (await api('/v1/projects/demo/datasets/tiny/diff?from=1&to=2')).json()) as Diff;
      expect(byHash.mode).toBe('row-hash');
      expect(byHash.counts).toMatchObject({ from: 3, to: 4, added: 1, removed: 0, unchanged: 3 });
      expect(byHash.samples.added.map((a) => a.row)).toEqual([4]);
      const duplicateKey = await api('/v1/projects/demo/datasets/tiny/diff?from=1&to=2&key=species');
      expect(duplicateKey.status).toBe(400);
      expect(((await duplicateKey.json()) as { error: { issues: { path: string; row: number }[] } }).error.issues[0]).toMatchObject({ path: 'from', row: 3 });
      const byKey = (await (await api('/v1/projects/demo/datasets/tiny/diff?from=1&to=3&key=island')).json()) as Diff;
      expect(byKey.counts).toMatchObject({ added: 0, removed: 1, changed: 2 });
      expect(byKey.samples.changed[0]).toMatchObject({ key: 'Torgersen', changes: [{ column: 'bill', from: '39.1', to: '41' }] });
      expect((await api('/v1/projects/demo/datasets/tiny/diff?from=1&to=9')).status).toBe(404);
    });

    it('cleans a version with a recorded recipe into a new version, and replays the recipe on a new raw version', async () => {
      const recipe = {
        name: 'tidy-tiny',
        steps: [
          { op: 'trim' },
          { op: 'impute', column: 'bill', strategy: 'mean' },
          { op: 'normalize_categories', column: 'island', case: 'lower' },
        ],
      };
      type Cleaned = { recipeHash: string; report: { op: string; affected: number; fitted?: Record<string, unknown> }[]; version: { dataset: string; version: number; rowCount: number; parents: unknown[]; operation: { kind: string; params: { recipe: unknown; recipeHash: string } } } };
      const res = await api('/v1/projects/demo/datasets/tiny/versions/2/clean', json({ recipe, message: 'fill bills' }));
      expect(res.status).toBe(201);
      const cleaned = (await res.json()) as Cleaned;
      expect(cleaned.version).toMatchObject({ dataset: 'tiny-clean', version: 1, rowCount: 4, parents: [{ dataset: 'tiny', version: 2 }] });
      expect(cleaned.version.operation).toMatchObject({ kind: 'clean', params: { recipe, recipeHash: cleaned.recipeHash } });
      const mean = (39.1 + 47.5 + 49) / 3;
      expect(cleaned.report[1]).toMatchObject({ op: 'impute', affected: 1 });
      expect(cleaned.report[1]!.fitted!.mean).toBeCloseTo(mean, 9);
      const profile = (await (await api('/v1/projects/demo/datasets/tiny-clean/versions/1/profile')).json()) as DatasetProfile;
      expect(profile.columns.find((c) => c.name === 'bill')!.missing).toBe(0);
      expect(profile.columns.find((c) => c.name === 'island')!.categorical!.top.map((t) => t.value).sort()).toEqual(['biscoe', 'dream', 'torgersen']);

      const replayed = (await (await api('/v1/projects/demo/datasets/tiny/versions/3/clean', json({ replay: { dataset: 'tiny-clean', version: 1 } }))).json()) as Cleaned;
      expect(replayed.recipeHash).toBe(cleaned.recipeHash);
      expect(replayed.version).toMatchObject({ dataset: 'tiny-clean', version: 2, rowCount: 2, parents: [{ dataset: 'tiny', version: 3 }] });

      const unknownColumn = await api('/v1/projects/demo/datasets/tiny/versions/2/clean', json({ recipe: { name: 'x', steps: [{ op: 'drop_columns', columns: ['beak'] }] } }));
      expect(unknownColumn.status).toBe(400);
      expect(((await unknownColumn.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toMatch(/^steps\.0\.columns/);
      expect((await api('/v1/projects/demo/datasets/tiny/versions/2/clean', json({ replay: { dataset: 'tiny', version: 1 } }))).status).toBe(404);
    });

    it('labels rows by rule and by hand, per labeler, with agreement, and commits the labels as a new version', async () => {
      const create = (body: object) => api('/v1/projects/demo/label-sets', json({ name: 'tiny-check', dataset: 'tiny', version: 2, labelColumn: 'verified', classes: ['yes', 'no'], ...body }));
      expect((await create({ classes: ['yes', 'yes'] })).status).toBe(400);
      const created = await create({});
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ name: 'tiny-check', dataset: 'tiny', version: 2, rows: 4, progress: { labeled: 0 } });
      expect((await create({})).status).toBe(409);

      const set = '/v1/projects/demo/label-sets/tiny-check';
      expect(await (await api(`${set}/rules`, json({ where: 'bill > 45', label: 'yes' }))).json()).toEqual({ labeled: 2 });
      expect((await api(`${set}/rules`, json({ where: 'beak > 45', label: 'yes' }))).status).toBe(400);
      const put = (row: number, label: string) => api(`${set}/labels/${row}`, { method: 'PUT', body: JSON.stringify({ label }), headers: { 'content-type': 'application/json' } });
      expect(((await (await api(`${set}/next`)).json()) as { row: number }).row).toBe(1);
      expect((await put(1, 'no')).status).toBe(200);
      expect((await put(2, 'no')).status).toBe(200);
      expect((await put(9, 'no')).status).toBe(400);
      const wrongClass = await put(3, 'maybe');
      expect(wrongClass.status).toBe(400);
      expect(((await wrongClass.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('label');
      expect(await (await api(`${set}/next`)).json()).toMatchObject({ row: 3, values: { species: 'Adelie', island: 'Dream' }, remaining: 2 });

      // A second person, in the console: the session carries the name given at login.
      const login = await fetch(`${hub.baseUrl}/console/login`, { method: 'POST', body: new URLSearchParams({ token: hub.adminToken, name: 'ana' }), redirect: 'manual' });
      const session = login.headers.get('set-cookie')!.split(';')[0]!;
      const page = await (await fetch(`${hub.baseUrl}/console/projects/demo/label-sets/tiny-check`, { headers: { cookie: session } })).text();
      expect(page).toContain('console:ana');
      expect(page).toContain('Row 1');
      expect(page).toContain('data-key="1"');
      const labeled = await fetch(`${hub.baseUrl}/console/projects/demo/label-sets/tiny-check/label`, {
        method: 'POST',
        body: new URLSearchParams({ row: '2', label: 'yes' }),
        headers: { cookie: session },
        redirect: 'manual',
      });
      expect(labeled.status).toBe(303);

      type View = { progress: { labeled: number; byLabeler: Record<string, number> }; agreement: { labelers: string[]; rows: number; observed: number; kappa: number | null }[] };
      const view = (await (await api(set)).json()) as View;
      expect(view.progress.labeled).toBe(3);
      expect(view.progress.byLabeler).toMatchObject({ rules: 2, 'console:ana': 1 });
      const anaVsRules = view.agreement.find((a) => a.labelers.join() === 'console:ana,rules')!;
      expect(anaVsRules).toMatchObject({ rows: 1, observed: 1, kappa: null });

      const committed = await api(`${set}/commit`, { method: 'POST' });
      expect(committed.status).toBe(201);
      expect(await committed.json()).toMatchObject({ dataset: 'tiny-labeled', version: 1, rowCount: 4, parents: [{ dataset: 'tiny', version: 2 }], operation: { kind: 'label' } });
      const profile = (await (await api('/v1/projects/demo/datasets/tiny-labeled/versions/1/profile')).json()) as DatasetProfile;
      const verified = profile.columns.find((c) => c.name === 'verified')!;
      expect(verified.missing).toBe(1);
      // Row 1: no (one labeler). Row 2: yes (rules + ana) over no. Row 4: yes (rules).
      expect(verified.categorical!.top).toEqual([
        { value: 'yes', count: 2 },
        { value: 'no', count: 1 },
      ]);
    });

    it('ingests TSV, custom delimiters and NDJSON; skips bad rows only when asked, recording how many; applies type overrides', async () => {
      const up = (dataset: string, query: string, body: string, type: string) =>
        api(`/v1/projects/demo/datasets/${dataset}/versions${query}`, { method: 'POST', body, headers: { 'content-type': type } });
      type V = { rowCount: number; format: string; columns: { name: string; type: string }[]; operation: { params: Record<string, unknown> } };
      const tsv = (await (await up('fmt-tsv', '', 'a\tb\n1\tx\n2\ty\n', 'text/tab-separated-values')).json()) as V;
      expect(tsv).toMatchObject({ rowCount: 2, format: 'tsv', columns: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'categorical' }] });
      const semi = (await (await up('fmt-semi', '?delimiter=%3B', 'a;b\n1;2\n', 'text/csv')).json()) as V;
      expect(semi).toMatchObject({ rowCount: 1, operation: { params: { format: 'csv', delimiter: ';' } } });
      const ndjson = (await (await up('fmt-nd', '', '{"a":1,"b":"x"}\n{"a":2,"b":null}\n', 'application/x-ndjson')).json()) as V;
      expect(ndjson).toMatchObject({ rowCount: 2, format: 'ndjson' });

      const ragged = 'a,b\n1,2\n3\n4,5\n6\n';
      const refused = await up('fmt-bad', '', ragged, 'text/csv');
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { error: { message: string; issues: { row: number }[] } };
      expect(body.error.issues.map((i) => i.row)).toEqual([2, 4]);
      expect((await api('/v1/projects/demo/datasets/fmt-bad/versions')).status).toBe(404);
      const skipped = (await (await up('fmt-bad', '?skipBadRows=true', ragged, 'text/csv')).json()) as V;
      expect(skipped).toMatchObject({ rowCount: 2, operation: { params: { skipBadRows: true, skipped: 2 } } });

      const wrongType = await up('fmt-types', '?types=b%3Anumeric', 'a,b\n1,x\n2,y\n', 'text/csv');
      expect(wrongType.status).toBe(400);
      expect(((await wrongType.json()) as { error: { issues: { column: string; row: number; message: string }[] } }).error.issues[0]).toMatchObject({ column: 'b', row: 1 });
      const forced = (await (await up('fmt-types', '?types=a%3Acategorical', 'a,b\n1,x\n2,y\n', 'text/csv')).json()) as V;
      expect(forced.columns[0]).toMatchObject({ name: 'a', type: 'categorical' });
      expect((await up('fmt-types', '?delimiter=ab', 'a\n1\n', 'text/csv')).status).toBe(400);

      // Every type inferred from the values; a mostly-unique categorical column is text.
      const many = Array.from({ length: 60 }, (_, i) => `${i},${i / 4},${i % 2 === 0},2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00Z,${['a', 'b', 'c'][i % 3]},note ${i}`);
      const typed = (await (await up('fmt-typed', '', `i,x,flag,at,cat,note\n${many.join('\n')}\n`, 'text/csv')).json()) as V;
      expect(typed.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['i:integer', 'x:number', 'flag:boolean', 'at:datetime', 'cat:categorical', 'note:text']);
      const dates = (await (await api('/v1/projects/demo/datasets/fmt-typed/versions/1/profile')).json()) as { columns: { name: string; type: string; numeric?: { min: number; max: number } }[] };
      expect(dates.columns.find((c) => c.name === 'at')).toMatchObject({ type: 'datetime', numeric: { min: Date.UTC(2024, 0, 1, 10), max: Date.UTC(2024, 0, 28, 10) } });
      const pinned = (await (await up('fmt-typed', '?types=note%3Acategorical,i%3Anumber', `i,x,flag,at,cat,note\n${many.slice(1).join('\n')}\n`, 'text/csv')).json()) as V;
      expect(pinned.columns.map((c) => c.type)).toEqual(['number', 'number', 'boolean', 'datetime', 'categorical', 'categorical']);
      const badDate = await up('fmt-typed', '?types=cat%3Adatetime', `i,x,flag,at,cat,note\n${many.slice(2).join('\n')}\n`, 'text/csv');
      expect(((await badDate.json()) as { error: { message: string } }).error.message).toBe('cat cannot be datetime: row 1 has "c"');
      const unknownType = await up('fmt-typed', '?types=cat%3Astring', 'cat\nx\n', 'text/csv');
      expect(((await unknownType.json()) as { error: { issues: { message: string }[] } }).error.issues[0]!.message).toMatch(/the type one of integer, number, boolean, datetime, categorical, text/);
    });

    it('rejects a malformed CSV naming the row, and stores nothing', async () => {
      const res = await api('/v1/projects/demo/datasets/tiny/versions', {
        method: 'POST',
        body: 'species,island,bill\nAdelie,Torgersen,39.1\nGentoo,Biscoe\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string; issues: { row?: number }[] } };
      expect(body.error.code).toBe('INVALID_DATASET');
      expect(body.error.issues[0]?.row).toBe(2);
      const list = (await (await api('/v1/projects/demo/datasets/tiny/versions')).json()) as { versions: unknown[] };
      expect(list.versions).toHaveLength(3);

      const notArray = await api('/v1/projects/demo/datasets/j/versions', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
      expect(notArray.status).toBe(400);
      const wrongType = await api('/v1/projects/demo/datasets/j/versions', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
      expect(wrongType.status).toBe(400);
      expect(((await wrongType.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('content-type');
    });

    it('imports a dataset from a URL, following redirects, and refuses what it cannot fetch or read', async () => {
      const files: Record<string, { type?: string; body: string | Uint8Array; status?: number; location?: string }> = {
        '/penguins.csv': { type: 'text/csv', body: 'species,mass\nAdelie,3750\nGentoo,5000\n' },
        '/export?id=7': { body: '{"a":1}\n{"a":2}\n' },
        '/moved': { status: 302, location: '/penguins.csv', body: '' },
        '/big.csv': { type: 'text/csv', body: new Uint8Array(hub.maxDatasetBytes + 1).fill(65) },
        '/ragged.csv': { type: 'text/csv', body: 'a,b\n1\n' },
      };
      const server: Server = createServer((req, res) => {
        const f = files[req.url ?? ''];
        if (!f) return res.writeHead(404).end('not here');
        res.writeHead(f.status ?? 200, { ...(f.type ? { 'content-type': f.type } : {}), ...(f.location ? { location: f.location } : {}) }).end(f.body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const post = (body: unknown) => api('/v1/projects/demo/datasets/imported/imports', json(body));
      type Err = { error: { message: string; issues?: { path: string }[] } };
      try {
        const first = await post({ url: `${base}/moved`, message: 'from the web' });
        expect(first.status).toBe(201);
        const v = (await first.json()) as { rowCount: number; format: string; columns: { name: string; type: string }[]; operation: { params: Record<string, unknown> }; message: string };
        expect(v).toMatchObject({ rowCount: 2, format: 'csv', message: 'from the web', operation: { kind: 'upload', params: { format: 'csv', url: `${base}/penguins.csv` } } });
        expect(v.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['species:categorical', 'mass:integer']);
        expect((await post({ url: `${base}/penguins.csv` })).status).toBe(200);

        const nd = await post({ url: `${base}/export?id=7`, format: 'ndjson', types: { a: 'number' } });
        expect(await nd.json()).toMatchObject({ rowCount: 2, format: 'ndjson', columns: [{ name: 'a', type: 'number' }] });

        const unknown = await post({ url: `${base}/export?id=7` });
        expect(unknown.status).toBe(400);
        expect(((await unknown.json()) as Err).error.issues?.[0]?.path).toBe('format');
        const missing = await post({ url: `${base}/nothing.csv` });
        expect(missing.status).toBe(400);
        expect(((await missing.json()) as Err).error).toMatchObject({ message: `${base}/nothing.csv answered 404 Not Found`, issues: [{ path: 'url' }] });
        expect(((await (await post({ url: 'ftp://example.com/x.csv' })).json()) as Err).error.issues?.[0]?.path).toBe('url');
        expect((await post({ url: `${base}/big.csv` })).status).toBe(413);
        const ragged = await post({ url: `${base}/ragged.csv` });
        expect(((await ragged.json()) as Err).error.message).toBe('malformed CSV: row 1: expected 2 fields, got 1');
        expect((await post({ url: `${base}/penguins.csv`, extra: 1 })).status).toBe(400);
        const versions = (await (await api('/v1/projects/demo/datasets/imported/versions')).json()) as { versions: unknown[] };
        expect(versions.versions).toHaveLength(2);
      } finally {
        await new Promise((r) => server.close(r));
      }
    });

    it('profiles a Parquet upload, read column by column a row group at a time, as it profiles the same rows in CSV', async () => {
      const n = 5_000;
      const at = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 600_000);
      const columns = {
        id: Array.from({ length: n }, (_, i) => BigInt(i)),
        at: Array.from({ length: n }, (_, i) => at(i)),
        mass: Array.from({ length: n }, (_, i) => (i % 50 === 0 ? null : 3000 + ((i * 7919) % 2500) / 4)),
        species: Array.from({ length: n }, (_, i) => ['Adelie', 'Gentoo', 'Chinstrap'][(i * i) % 3]!),
      };
      const parquet = parquetWriteBuffer({
        columnData: [
          { name: 'id', data: columns.id, type: 'INT64' },
          { name: 'at', data: columns.at, type: 'TIMESTAMP' },
          { name: 'mass', data: columns.mass, type: 'DOUBLE' },
          { name: 'species', data: columns.species, type: 'STRING' },
        ],
        rowGroupSize: 1_000,
      });
      const csv = `id,at,mass,species\n${Array.from({ length: n }, (_, i) => `${i},${at(i).toISOString()},${columns.mass[i] ?? ''},${columns.species[i]}`).join('\n')}\n`;
      const up = async (dataset: string, body: BodyInit, type: string) => {
        const res = await api(`/v1/projects/demo/datasets/${dataset}/versions`, { method: 'POST', body, headers: { 'content-type': type } });
        expect(res.status).toBe(201);
        return (await res.json()) as { rowCount: number; columns: { name: string; type: string; missing: number }[] };
      };
      const fromParquet = await up('typed-parquet', new Uint8Array(parquet), 'application/vnd.apache.parquet');
      const fromCsv = await up('typed-csv', csv, 'text/csv');
      expect(fromParquet.rowCount).toBe(n);
      const shape = (v: typeof fromCsv) => v.columns.map(({ name, type, missing }) => ({ name, type, missing }));
      expect(shape(fromParquet)).toEqual(shape(fromCsv));
      expect(fromParquet.columns.map((c) => `${c.name}:${c.type}:${c.missing}`)).toEqual(['id:integer:0', 'at:datetime:0', 'mass:number:100', 'species:categorical:0']);

      const profileOf = async (dataset: string) => (await (await api(`/v1/projects/demo/datasets/${dataset}/versions/1/profile`)).json()) as DatasetProfile;
      const [a, b] = [await profileOf('typed-parquet'), await profileOf('typed-csv')];
      // Moments are summed per row group on the columnar path: equal to rounding; everything else exactly.
      const rounded = (p: DatasetProfile) => ({
        ...p,
        columns: p.columns.map((c) => (c.numeric ? { ...c, numeric: { ...c.numeric, mean: Number(c.numeric.mean.toPrecision(12)), std: Number(c.numeric.std.toPrecision(12)) } } : c)),
      });
      expect(rounded(a)).toEqual(rounded(b));
      expect(a.columns.find((c) => c.name === 'at')!.numeric).toMatchObject({ min: at(0).getTime(), max: at(n - 1).getTime(), quantilesExact: false });
    });

    it('registers a model trained elsewhere (ONNX + feature spec), refusing what it cannot run — or says it cannot check models here', async () => {
      // Exporter-like models built with the hub's own ONNX writer: float32 [batch, width] → softmax [batch, classes].
      const { customOpModel, denseModel, numericSpec } = await import('../../hub/src/registry/test-support.ts');
      const spec = numericSpec(2, 3);
      const upload = (parts: Record<string, Uint8Array | object>) => {
        const form = new FormData();
        for (const [name, v] of Object.entries(parts)) {
          if (v instanceof Uint8Array) form.append(name, new Blob([v as Uint8Array<ArrayBuffer>]), 'model.onnx');
          else form.append(name, JSON.stringify(v));
        }
        return api('/v1/projects/demo/models/byo/versions', { method: 'POST', body: form });
      };
      const versions = async () => {
        const res = await api('/v1/projects/demo/models/byo');
        return res.status === 404 ? 0 : ((await res.json()) as { versions: unknown[] }).versions.length;
      };
      const refusal = async (res: Response, status: number) => {
        expect(res.status).toBe(status);
        return ((await res.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[] } }).error;
      };

      const bytes = denseModel(2, 3);
      if (!hub.canTrain) {
        // Workers can neither decode ONNX with protobufjs (no code generation from strings) nor compile
        // onnxruntime-web's WebAssembly, so the hub cannot check any model: it says so, registering nothing.
        for (const model of [bytes, new TextEncoder().encode('not onnx')]) {
          const error = await refusal(await upload({ model, features: spec }), 501);
          expect(error).toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(/cannot check ONNX models/) });
        }
        expect(await versions()).toBe(0);
        return;
      }

      // Refused, naming the part at fault and why; nothing is registered.
      const garbage = await refusal(await upload({ model: new TextEncoder().encode('PK\u0003\u0004 not onnx'), features: spec }), 400);
      expect(garbage.issues?.[0]?.path).toBe('model');
      expect(garbage.message).toMatch(/not an ONNX ModelProto/);
      const width = await refusal(await upload({ model: denseModel(4, 3), features: spec }), 400);
      expect(width.issues?.[0]?.path).toBe('features');
      expect(width.issues?.[0]?.message).toMatch(/encode 2 values per record but the model's input 'input' \[batch, 4\] takes 4/);
      const custom = await refusal(await upload({ model: customOpModel(2, 3), features: spec }), 400);
      expect(custom.issues?.[0]).toMatchObject({ path: 'model', message: expect.stringMatching(/operator FancySoftmax of domain 'com\.acme' is not implemented by onnxruntime-web/) });
      expect(await versions()).toBe(0);

      const res = await upload({ model: bytes, features: spec, metrics: { accuracy: 0.91 } });
      expect(res.status).toBe(201);
      const sha256 = await sha256Hex(bytes);
      const registered = { version: 1, runId: null, artifact: { sha256, size: bytes.byteLength }, input: { name: 'input', shape: [-1, 2], type: 'float32' }, output: { name: 'probabilities', shape: [-1, 3], type: 'float32' }, features: spec, metrics: { accuracy: 0.91 } };
      expect(await res.json()).toMatchObject(registered);
      const model = (await (await api('/v1/projects/demo/models/byo')).json()) as { published: number | null; versions: unknown[] };
      expect(model).toMatchObject({ published: null, versions: [registered] });

      // Published and served like a trained version: a signed manifest with the spec, and the very bytes.
      expect((await api('/v1/projects/demo/models/byo/versions/1/publish', { method: 'POST' })).status).toBe(200);
      const keys = ((await (await api('/v1/signing-keys')).json()) as { keys: TrustedKey[] }).keys;
      const manifest = await verifyManifest((await (await device('/v1/device/models/byo/manifest')).json()) as SignedManifest, keys);
      expect(manifest).toMatchObject({ model: 'byo', version: 1, input: registered.input, output: registered.output, features: spec, artifact: { sha256, size: bytes.byteLength } });
      expect(await sha256Hex(new Uint8Array(await (await device(manifest.artifact.path)).arrayBuffer()))).toBe(sha256);
    });

    it('answers 413 for an upload over the limit', async () => {
      const big = new Uint8Array(hub.maxDatasetBytes + 1).fill(65);
      const res = await api('/v1/projects/demo/datasets/big/versions', { method: 'POST', body: big, headers: { 'content-type': 'text/csv' } });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');

      // Without a Content-Length (chunked), the body is counted as it streams in and cut off at the limit.
      const pieces = 4;
      const chunked = new ReadableStream<Uint8Array>({
        start(c) {
          const step = Math.ceil(big.byteLength / pieces);
          for (let i = 0; i < big.byteLength; i += step) c.enqueue(big.slice(i, i + step));
          c.close();
        },
      });
      const streamed = await api('/v1/projects/demo/datasets/big/versions', { method: 'POST', body: chunked, headers: { 'content-type': 'text/csv' }, duplex: 'half' } as RequestInit);
      expect(streamed.status).toBe(413);
      expect((await api('/v1/projects/demo/datasets/big/versions')).status).toBe(404);
    });

    it('ingests inference records once each, however often they are sent', async () => {
      const batch = { deviceId: 'device-0001', records: [record(1), record(2), record(3)] };
      const first = await device('/v1/device/inferences', json(batch));
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ accepted: 3, duplicates: 0 });
      const retry = await device('/v1/device/inferences', json({ ...batch, records: [...batch.records, record(4)] }));
      expect(await retry.json()).toEqual({ accepted: 1, duplicates: 3 });

      // Batches larger than one statement (D1 binds 100 parameters: 8 records) stay exactly-once.
      const bulk = Array.from({ length: 50 }, (_, i) => record(1000 + i, { model: 'bulk' }));
      expect(await (await device('/v1/device/inferences', json({ deviceId: 'device-0002', records: bulk.slice(0, 40) }))).json()).toEqual({ accepted: 40, duplicates: 0 });
      expect(await (await device('/v1/device/inferences', json({ deviceId: 'device-0002', records: bulk }))).json()).toEqual({ accepted: 10, duplicates: 40 });

      // A health report rides in the same atomic batch (its merge of counts: hub/src/monitoring/ingest.test.ts).
      const withHealth = await device('/v1/device/inferences', json({ deviceId: 'device-0002', health: { model: 'bulk', dropped: { queue_full: 7 } }, records: bulk.slice(0, 1) }));
      expect(await withHealth.json()).toEqual({ accepted: 0, duplicates: 1 });

      const bad = await device('/v1/device/inferences', json({ deviceId: 'device-0001', records: [{ ...record(5), modelVersion: 'one' }] }));
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('records.0.modelVersion');

      // Too many records is a 413, like too many bytes: the SDK splits the batch.
      const tooMany = await device('/v1/device/inferences', json({ deviceId: 'device-0001', records: Array.from({ length: 501 }, (_, i) => record(100 + i)) }));
      expect(tooMany.status).toBe(413);
      const huge = await device('/v1/device/inferences', json({ deviceId: 'device-0001', records: [record(9, { input: { blob: 'x'.repeat(1_100_000) } })] }));
      expect(huge.status).toBe(413);
    });

    it('lets a web app on another origin call device routes (CORS)', async () => {
      const res = await fetch(`${hub.baseUrl}/v1/device/inferences`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('describes itself in an OpenAPI document', async () => {
      const doc = (await (await api('/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/v1/projects', '/v1/projects/{project}/datasets/{dataset}/versions', '/v1/device/inferences', '/v1/device/models/{model}/manifest']),
      );
    });

    it('logs into the console with the admin token and renders the overview and API reference', async () => {
      const login = (token: string) =>
        fetch(`${hub.baseUrl}/console/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
      expect((await login('opa_wrong')).status).toBe(401);
      const ok = await login(hub.adminToken);
      expect(ok.status).toBe(303);
      const cookie = ok.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      const session = cookie.split(';')[0]!;
      const overview = await fetch(`${hub.baseUrl}/console`, { headers: { cookie: session } });
      expect(overview.status).toBe(200);
      const html = await overview.text();
      expect(html).toContain('Project demo');
      expect(html).toContain('tiny');
      expect(html).toContain('validation failed');
      const datasetPage = await (await fetch(`${hub.baseUrl}/console/projects/demo/datasets/tiny/versions/2`, { headers: { cookie: session } })).text();
      expect(datasetPage).toContain('data-column="bill"');
      expect(datasetPage).toMatch(/<svg[^>]*aria-label="Histogram of bill"/);
      expect(datasetPage).toMatch(/<title>39\.10–39\.\d+: 1<\/title>/);
      expect(datasetPage).toContain('diff with v1');
      expect(datasetPage).toContain('add a chinstrap');
      const diffPage = await fetch(`${hub.baseUrl}/console/projects/demo/datasets/tiny/diff?from=1&to=3&key=island`, { headers: { cookie: session } });
      expect(diffPage.status).toBe(200);
      const diffHtml = await diffPage.text();
      expect(diffHtml).toContain('2 changed');
      expect(diffHtml).toContain('<del>39.1</del> → <ins>41</ins>');
      expect((await fetch(`${hub.baseUrl}/console/projects/demo/datasets/tiny/diff?from=1&to=2&key=species`, { headers: { cookie: session } })).status).toBe(400);
      const reference = await (await fetch(`${hub.baseUrl}/console/api`, { headers: { cookie: session } })).text();
      expect(reference).toContain('/v1/device/inferences');
      // Without the session: back to the login page. A session cannot change anything (CSRF).
      expect((await fetch(`${hub.baseUrl}/console`, { redirect: 'manual' })).status).toBe(303);
      const post = await fetch(`${hub.baseUrl}/v1/projects`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/json' }, body: '{"id":"csrf"}' });
      expect(post.status).toBe(401);
    });

    it("publishes its public signing key (what apps put in trustedKeys)", async () => {
      const { keys } = (await (await api('/v1/signing-keys')).json()) as { keys: TrustedKey[] };
      expect(keys).toHaveLength(1);
      expect(keys[0]!.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(keys[0]!.keyId).toMatch(/^[0-9a-f]{16}$/);
    });

    it('has nothing to serve a device before a model is published', async () => {
      const res = await device('/v1/device/models/nothing/manifest');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    });

    it('trains, registers, publishes and serves a signed model — or says it cannot train here', async () => {
      const upload = await api('/v1/projects/demo/datasets/penguins/versions', {
        method: 'POST',
        body: penguinsJson(),
        headers: { 'content-type': 'application/json' },
      });
      expect(upload.status).toBe(201);
      const uploaded = (await upload.json()) as { version: number; sha256: string };
      const train = (body: object) => api('/v1/projects/demo/models/penguins/runs', json({ dataset: 'penguins', ...body }));

      if (!hub.canTrain) {
        const res = await train({ label: PENGUINS_LABEL });
        expect(res.status).toBe(501);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_IMPLEMENTED');
        return;
      }

      const missingLabel = await train({ label: 'species' });
      expect(missingLabel.status).toBe(400);
      const ml = (await missingLabel.json()) as { error: { issues: { path: string; message: string }[] } };
      expect(ml.error.issues[0]?.path).toBe('label');
      expect(ml.error.issues[0]?.message).toContain('Species');

      const notNumeric = await train({ label: PENGUINS_LABEL, features: [{ name: 'Island', kind: 'numeric' }] });
      expect(notNumeric.status).toBe(400);
      const nn = (await notNumeric.json()) as { error: { issues: { column: string; row: number }[] } };
      expect(nn.error.issues[0]).toMatchObject({ column: 'Island', row: 1 });

      expect((await train({ label: PENGUINS_LABEL, datasetVersion: 9 })).status).toBe(404);

      // A version that failed its dataset's suite blocks training unless a reason is given (and kept).
      expect((await api('/v1/projects/demo/datasets/gated/suite', { method: 'PUT', body: JSON.stringify({ name: 'small', expectations: [{ type: 'row_count', max: 10 }] }), headers: { 'content-type': 'application/json' } })).status).toBe(200);
      expect((await (await api('/v1/projects/demo/datasets/gated/versions', { method: 'POST', body: penguinsJson(), headers: { 'content-type': 'application/json' } })).json()) as { validationSuccess: boolean }).toMatchObject({ validationSuccess: false });
      const gate = (body: object) => api('/v1/projects/demo/models/gated/runs', json({ dataset: 'gated', label: PENGUINS_LABEL, epochs: 1, ...body }));
      const blocked = await gate({});
      expect(blocked.status).toBe(409);
      expect(((await blocked.json()) as { error: { message: string; issues: { path: string }[] } }).error).toMatchObject({ message: expect.stringMatching(/^gated version 1 failed its expectation suite/), issues: [{ path: 'datasetVersion' }] });
      const overridden = await gate({ allowFailedValidation: 'row cap is for the demo only' });
      expect(overridden.status).toBe(202);
      expect(((await overridden.json()) as { config: Record<string, unknown> }).config.allowFailedValidation).toBe('row cap is for the demo only');

      expect(((await (await train({ label: PENGUINS_LABEL, sliceBy: 'Isle' })).json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('sliceBy');
      const queued = await train({ label: PENGUINS_LABEL, epochs: 40, sliceBy: 'Island', intendedUse: 'Field guides: suggest a species to a person, who confirms it.', tags: ['baseline', 'mlp', 'baseline'], notes: 'first try', codeVersion: 'build-17' });
      expect(queued.status).toBe(202);
      let run = (await queued.json()) as { id: string; status: string; modelVersion: number | null; metrics: Record<string, number> | null; error: unknown };
      for (let i = 0; i < 240 && (run.status === 'queued' || run.status === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 500));
        run = (await (await api(`/v1/projects/demo/runs/${run.id}`)).json()) as typeof run;
      }
      expect(run.error).toBeNull();
      expect(run.status).toBe('succeeded');
      expect(run.modelVersion).toBe(1);
      expect(run.metrics!.validationAccuracy).toBeGreaterThan(0.9);
      expect(run.metrics!.parityMaxAbsDiff).toBeLessThanOrEqual(1e-5);

      // The model card: data and code, held-back performance, gates — as JSON and as Markdown.
      const card = (await (await api('/v1/projects/demo/models/penguins/versions/1/card')).json()) as { origin: string; training: { datasetVersion: number; code: string; runId: string }; test: { accuracy: number }; gates: { passed: boolean } };
      expect(card).toMatchObject({ origin: 'trained', training: { datasetVersion: uploaded.version, code: 'build-17', runId: run.id }, test: { accuracy: run.metrics!.testAccuracy }, gates: { passed: true } });
      const markdown = await (await api('/v1/projects/demo/models/penguins/versions/1/card?format=markdown')).text();
      expect(markdown).toMatch(/^# penguins version 1\n\nPredicts \*\*Species\*\* \(Adelie, Chinstrap, Gentoo\) from Island \(categorical\), /);
      expect(markdown).toMatch(/## Acceptance gates\n\nPassed:\n- pass baseline: /);
      expect(markdown).toContain('- Intended use: Field guides: suggest a species to a person, who confirms it.');

      // The reference profile for monitoring: training-row features as the device sends them, and the outputs on them.
      type Profile = { rowCount: number; columns: { name: string; type: string; numeric?: { histogram: { counts: number[] } }; categorical?: { top: { value: string }[] } }[] };
      const reference = (await (await api('/v1/projects/demo/models/penguins/versions/1/reference')).json()) as { features: Profile; outputs: Profile };
      expect(reference.features.rowCount).toBe(run.metrics!.trainRows);
      expect(reference.features.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['Island:categorical', 'Beak Length (mm):numeric', 'Beak Depth (mm):numeric', 'Flipper Length (mm):numeric', 'Body Mass (g):numeric', 'Sex:categorical']);
      expect(reference.features.columns[1]!.numeric!.histogram.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(reference.outputs.columns.map((c) => c.name)).toEqual(['p(Adelie)', 'p(Chinstrap)', 'p(Gentoo)', 'predicted']);
      expect(reference.outputs.columns[3]!.categorical!.top.map((t) => t.value).sort()).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);

      // Tracked: per-epoch metrics, lineage (dataset version and hash, split, features, code, seed), system, tags, notes.
      type Detail = { history: Record<string, number>[]; lineage: Record<string, unknown>; system: Record<string, unknown>; tags: string[]; notes: string | null };
      const detail = (await (await api(`/v1/projects/demo/runs/${run.id}`)).json()) as Detail;
      expect(detail.history).toHaveLength(40);
      expect(detail.history[0]).toMatchObject({ epoch: 1, loss: expect.any(Number), validationLoss: expect.any(Number), validationAccuracy: expect.any(Number) });
      expect(detail.history[39]!.loss!).toBeLessThan(detail.history[0]!.loss!);
      expect(detail.history[39]!.validationAccuracy).toBe(run.metrics!.validationAccuracy);
      expect(detail.lineage).toMatchObject({ dataset: 'penguins', datasetVersion: uploaded.version, datasetSha256: uploaded.sha256, splitHash: expect.stringMatching(/^[0-9a-f]{64}$/), featuresHash: expect.stringMatching(/^[0-9a-f]{64}$/), code: { version: 'build-17' }, seed: 42 });
      expect(detail.system).toMatchObject({ tfjs: expect.any(String), backend: 'wasm', runtime: expect.stringMatching(/^node /) });
      expect((detail as unknown as { config: { backend: string } }).config.backend).toBe('wasm'); // the API's default, recorded
      expect(detail).toMatchObject({ tags: ['baseline', 'mlp'], notes: 'first try' });
      // Evaluated on held-back test rows (15 %), beside the most-frequent-class baseline, and per island.
      type Report = { rows: number; accuracy: number; confusion: number[][]; macro: { f1: number }; rocAuc: { macro: number | null } };
      const evaluation = (detail as unknown as { evaluation: { test: Report; baseline: Report; validation: Report; slices: { column: string; slices: { slice: string; rows: number; report: Report }[] } } }).evaluation;
      expect(run.metrics).toMatchObject({ testRows: evaluation.test.rows, testAccuracy: evaluation.test.accuracy, baselineAccuracy: evaluation.baseline.accuracy });
      expect(evaluation.test.rows).toBeGreaterThan(40);
      expect(evaluation.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(evaluation.test.rows);
      expect(evaluation.test.accuracy).toBeGreaterThan(evaluation.baseline.accuracy + 0.3);
      expect(evaluation.test.rocAuc.macro).toBeGreaterThan(0.9);
      expect(evaluation.slices.column).toBe('Island');
      expect(evaluation.slices.slices.map((s) => s.slice).sort()).toEqual(['Biscoe', 'Dream', 'Torgersen']);
      expect(evaluation.slices.slices.reduce((a, s) => a + s.rows, 0)).toBe(evaluation.test.rows);
      const patched = await api(`/v1/projects/demo/runs/${run.id}`, { method: 'PATCH', body: JSON.stringify({ tags: ['champion'], notes: null }), headers: { 'content-type': 'application/json' } });
      expect(await patched.json()).toMatchObject({ tags: ['champion'], notes: null, metrics: run.metrics });
      expect((await api(`/v1/projects/demo/runs/${run.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'failed' }), headers: { 'content-type': 'application/json' } })).status).toBe(400);
      const listed = (await (await api('/v1/projects/demo/runs?tag=champion')).json()) as { runs: { id: string }[] };
      expect(listed.runs.map((r) => r.id)).toEqual([run.id]);
      expect(((await (await api('/v1/projects/demo/runs?model=penguins')).json()) as { runs: unknown[] }).runs.length).toBeGreaterThanOrEqual(1);
      expect((await api('/v1/projects/demo/runs/nope')).status).toBe(404);

      const published = await api('/v1/projects/demo/models/penguins/versions/1/publish', { method: 'POST' });
      expect(published.status).toBe(200);
      const keys = ((await (await api('/v1/signing-keys')).json()) as { keys: TrustedKey[] }).keys;

      const served = (await (await device('/v1/device/models/penguins/manifest')).json()) as SignedManifest;
      const manifest = await verifyManifest(served, keys);
      expect(manifest).toMatchObject({ project: 'demo', model: 'penguins', version: 1 });
      expect(manifest.features.label).toEqual({ name: 'Species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });

      // Acceptance gates: against the published version (v1 is production now), a challenger that must
      // improve test accuracy by half is refused and not registered; with a stated reason it is registered.
      type Verdict = { passed: boolean; champion: { version: number } | null; override: string | null; gates: { passed: boolean; observed: number | null; against: number | null; detail: string }[] };
      const strict = { label: PENGUINS_LABEL, epochs: 10, gates: [{ kind: 'threshold', metric: 'testAccuracy', min: 0.5 }, { kind: 'champion', metric: 'testAccuracy', minAbsoluteChange: 0.5 }, { kind: 'baseline' }] };
      const finished = async (res: Response) => {
        let r = (await res.json()) as { id: string; status: string; modelVersion: number | null; error: { code: string; issues: { path: string }[] } | null };
        while (r.status === 'queued' || r.status === 'running') {
          await new Promise((ok) => setTimeout(ok, 300));
          r = (await (await api(`/v1/projects/demo/runs/${r.id}`)).json()) as typeof r;
        }
        return { ...r, acceptance: ((await (await api(`/v1/projects/demo/runs/${r.id}`)).json()) as { acceptance: Verdict }).acceptance };
      };
      const strictRes = await train(strict);
      if (strictRes.status !== 202) throw new Error(`train with gates: ${strictRes.status} ${await strictRes.clone().text()}`);
      const refused = await finished(strictRes);
      expect(refused).toMatchObject({ status: 'failed', modelVersion: null, error: { code: 'GATES_FAILED', issues: [{ path: 'gates.1' }] } });
      expect(refused.acceptance).toMatchObject({ passed: false, champion: { version: 1 }, override: null });
      expect(refused.acceptance.gates.map((g) => g.passed)).toEqual([true, false, true]);
      expect(refused.acceptance.gates[1]).toMatchObject({ against: run.metrics!.testAccuracy });
      expect(((await (await api('/v1/projects/demo/models/penguins')).json()) as { versions: unknown[] }).versions).toHaveLength(1);
      // Overriding after the verdict: the same run again (deterministic: the same model), now registered with the reason.
      const overrideRes = await api(`/v1/projects/demo/runs/${refused.id}/override`, json({ reason: 'demo: ship it anyway' }));
      expect(overrideRes.status).toBe(202);
      const shipped = await finished(overrideRes);
      expect(shipped).toMatchObject({ status: 'succeeded', modelVersion: 2, acceptance: { passed: false, override: 'demo: ship it anyway' } });
      const shippedRun = (await (await api(`/v1/projects/demo/runs/${shipped.id}`)).json()) as { tags: string[]; metrics: Record<string, number> };
      expect(shippedRun.tags).toContain(`override-of:${refused.id}`);
      expect(shippedRun.metrics.testAccuracy).toBe(((await (await api(`/v1/projects/demo/runs/${refused.id}`)).json()) as { metrics: Record<string, number> }).metrics.testAccuracy);
      expect((await api(`/v1/projects/demo/runs/${shipped.id}/override`, json({ reason: 'again' }))).status).toBe(409);
      expect((await train({ label: PENGUINS_LABEL, gates: [{ kind: 'threshold', metric: 'testAccuracy' }] })).status).toBe(400);

      // A search: seeded random trials as tracked runs, the best retrained, gated and registered; halving's rungs.
      type SearchView = { id: string; status: string; planned: number; trials: { runId: string; params: Record<string, number>; score: number | null }[]; bestRunId: string | null; finalRun: { id: string; status: string; modelVersion: number | null } | null };
      const searchFor = async (body: object) => {
        const res = await api('/v1/projects/demo/models/penguins-search/searches', json({ dataset: 'penguins', label: PENGUINS_LABEL, ...body }));
        expect(res.status).toBe(202);
        let sv = (await res.json()) as SearchView;
        while (sv.status === 'queued' || sv.status === 'running') {
          await new Promise((ok) => setTimeout(ok, 300));
          sv = (await (await api(`/v1/projects/demo/searches/${sv.id}`)).json()) as SearchView;
        }
        return sv;
      };
      const random = await searchFor({ epochs: 30, space: { hiddenUnits: [0, 8], learningRate: { min: 0.005, max: 0.05, log: true } }, search: { method: 'random', trials: 3 }, seed: 5 });
      expect(random).toMatchObject({ status: 'succeeded', planned: 3, finalRun: { status: 'succeeded', modelVersion: 1 } });
      expect(random.trials).toHaveLength(3);
      const bestTrial = random.trials.reduce((a, b) => (b.score! > a.score! ? b : a));
      expect(random.bestRunId).toBe(bestTrial.runId);
      const finalRun = (await (await api(`/v1/projects/demo/runs/${random.finalRun!.id}`)).json()) as { config: Record<string, unknown>; metrics: Record<string, number>; tags: string[] };
      expect(finalRun.config).toMatchObject(bestTrial.params);
      expect(finalRun.metrics.validationAccuracy).toBe(bestTrial.score);
      expect(finalRun.tags).toEqual([`search:${random.id}`, 'best']);
      // The issue's bar: the search's model reaches test accuracy ≥ 0.97 and passes its gates.
      expect(finalRun.metrics.testAccuracy).toBeGreaterThanOrEqual(0.97);
      expect(((await (await api(`/v1/projects/demo/runs/${random.finalRun!.id}`)).json()) as { acceptance: { passed: boolean } }).acceptance.passed).toBe(true);
      const halving = await searchFor({ space: { hiddenUnits: [0, 4, 8, 16] }, search: { method: 'halving', trials: 4, minEpochs: 2, maxEpochs: 8, eta: 2 } });
      expect(halving.planned).toBe(4 + 2 + 1);
      expect(halving.trials.map((t) => t.params.epochs)).toEqual([2, 2, 2, 2, 4, 4, 8]);
      expect(halving.finalRun).toMatchObject({ status: 'succeeded', modelVersion: 2 });
      const badPlan = await api('/v1/projects/demo/models/penguins-search/searches', json({ dataset: 'penguins', label: PENGUINS_LABEL, space: { learningRate: { min: 0.01, max: 0.1 } }, search: { method: 'grid' } }));
      expect(badPlan.status).toBe(400);
      expect(((await badPlan.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('space.learningRate');

      // Feature transforms and model options: fitted on the training rows, shipped in the spec, exported to ONNX.
      const options = await finished(await api('/v1/projects/demo/models/penguins-options/runs', json({
        dataset: 'penguins',
        label: PENGUINS_LABEL,
        epochs: 200,
        layers: [8, 4],
        dropout: 0.1,
        l2: 0.0001,
        earlyStopping: { patience: 3 },
        features: [
          { name: 'Body Mass (g)', transform: 'log' },
          { name: 'Island', unknown: 'bucket' },
          { name: 'Flipper Length (mm)', transform: 'bucketize', buckets: 4 },
          { name: 'Beak Length (mm)', transform: 'minmax' },
        ],
      })));
      expect(options).toMatchObject({ status: 'succeeded', modelVersion: 1 });
      const optionsRun = (await (await api(`/v1/projects/demo/runs/${options.id}`)).json()) as { metrics: Record<string, number> };
      expect(optionsRun.metrics.epochsRun).toBeLessThan(200);
      expect(optionsRun.metrics.parityMaxAbsDiff).toBeLessThanOrEqual(1e-5);
      const optionsModel = (await (await api('/v1/projects/demo/models/penguins-options')).json()) as { versions: { input: { shape: number[] }; features: { features: Record<string, unknown>[] } }[] };
      expect(optionsModel.versions[0]!.features.features.map((f) => [f.name, f.kind, f.transform ?? f.unknown ?? null])).toEqual([
        ['Body Mass (g)', 'numeric', 'log'],
        ['Island', 'categorical', 'bucket'],
        ['Flipper Length (mm)', 'numeric', 'bucketize'],
        ['Beak Length (mm)', 'numeric', 'minmax'],
      ]);
      expect(optionsModel.versions[0]!.input.shape).toEqual([-1, 1 + 4 + 4 + 1]);
      const badOption = await api('/v1/projects/demo/models/penguins-options/runs', json({ dataset: 'penguins', label: PENGUINS_LABEL, features: [{ name: 'Island', transform: 'sqrt' }] }));
      expect(badOption.status).toBe(400);

      const tampered = { ...served, payload: served.payload.slice(0, -4) + (served.payload.endsWith('AAAA') ? 'BBBB' : 'AAAA') };
      await expect(verifyManifest(tampered, keys)).rejects.toMatchObject({ code: 'INTEGRITY' });

      const artifact = await device(manifest.artifact.path);
      expect(artifact.status).toBe(200);
      expect(artifact.headers.get('cache-control')).toContain('immutable');
      const bytes = new Uint8Array(await artifact.arrayBuffer());
      expect(bytes.byteLength).toBe(manifest.artifact.size);
      expect(await sha256Hex(bytes)).toBe(manifest.artifact.sha256);

      // The synced predictions of the earlier test (model penguins, version 1) count for this version.
      const model = (await (await api('/v1/projects/demo/models/penguins')).json()) as { published: number; versions: { version: number; predictions: number }[] };
      expect(model.published).toBe(1);
      expect(model.versions.find((v) => v.version === 1)).toMatchObject({ version: 1, predictions: 4 });
    }, 180_000);

    it('trains a regressor, gates it against the training mean, publishes it, and takes its devices\' values — or says it cannot train here', async () => {
      if (!hub.canTrain) return; // the 501 is checked above
      // The same bytes as the test above uploads: the same version when it ran, the first when run alone.
      const upload = await api('/v1/projects/demo/datasets/penguins/versions', { method: 'POST', body: penguinsJson(), headers: { 'content-type': 'application/json' } });
      expect(upload.status).toBeLessThan(300);
      const MASS = 'Body Mass (g)';
      const train = (body: object) => api('/v1/projects/demo/models/penguins-mass/runs', json({ dataset: 'penguins', label: MASS, task: 'regression', ...body }));
      // Bad input first: a regression label that is not a number; a search ranked by accuracy.
      const notNumeric = await train({ label: PENGUINS_LABEL });
      expect(notNumeric.status).toBe(400);
      expect(((await notNumeric.json()) as { error: { issues: { path: string; column: string; row: number }[] } }).error.issues[0]).toMatchObject({ path: 'label', column: PENGUINS_LABEL, row: 1 });
      const byAccuracy = await api('/v1/projects/demo/models/penguins-mass/searches', json({ dataset: 'penguins', label: MASS, task: 'regression', metric: 'validationAccuracy', space: { hiddenUnits: [4, 8] }, search: { method: 'grid' } }));
      expect(byAccuracy.status).toBe(400);
      expect(((await byAccuracy.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('metric');

      const started = await train({ layers: [16, 8], activation: 'tanh', epochs: 80, sliceBy: 'Species', gates: [{ kind: 'baseline' }, { kind: 'parity' }, { kind: 'threshold', metric: 'testR2', min: 0.7 }] });
      expect(started.status).toBe(202);
      let run = (await started.json()) as { id: string; status: string; modelVersion: number | null; metrics: Record<string, number> | null };
      while (run.status === 'queued' || run.status === 'running') {
        await new Promise((ok) => setTimeout(ok, 300));
        run = (await (await api(`/v1/projects/demo/runs/${run.id}`)).json()) as typeof run;
      }
      expect(run).toMatchObject({ status: 'succeeded', modelVersion: 1 });
      const m = run.metrics!;
      expect(m.testR2).toBeGreaterThan(0.7);
      expect(m.testRmse).toBeLessThan(m.baselineRmse!);
      expect(m.parityMaxRelDiff).toBeLessThanOrEqual(1e-5);
      expect(m.validationAccuracy).toBeUndefined();
      const full = (await (await api(`/v1/projects/demo/runs/${run.id}`)).json()) as { evaluation: { task: string; test: { rmse: number; residuals: { sample: unknown[] } }; slices: { slices: unknown[] } }; acceptance: { passed: boolean; gates: { detail: string }[] }; history: Record<string, number>[] };
      expect(full.evaluation.task).toBe('regression');
      expect(full.evaluation.test.rmse).toBe(m.testRmse);
      expect(full.evaluation.test.residuals.sample.length).toBeGreaterThan(0);
      expect(full.evaluation.slices.slices).toHaveLength(3);
      expect(full.acceptance.passed).toBe(true);
      expect(full.acceptance.gates[0]!.detail).toMatch(/^test RMSE .* must be below the training-mean baseline/);
      expect(full.history[0]).toHaveProperty('validationRmse');

      const card = await (await api('/v1/projects/demo/models/penguins-mass/versions/1/card?format=markdown')).text();
      expect(card).toContain(`Predicts **${MASS}** (a number: regression)`);
      expect(card).toMatch(/held-back test rows: MAE [\d.]+, RMSE [\d.]+, R² 0\.\d{3}; always predicting the training mean: RMSE/);

      expect((await api('/v1/projects/demo/models/penguins-mass/versions/1/publish', { method: 'POST' })).status).toBe(200);
      const keys = ((await (await api('/v1/signing-keys')).json()) as { keys: TrustedKey[] }).keys;
      const manifest = await verifyManifest((await (await device('/v1/device/models/penguins-mass/manifest')).json()) as SignedManifest, keys);
      expect(manifest.features.label).toEqual({ name: MASS, task: 'regression' });
      expect(manifest.output).toEqual({ name: 'value', shape: [-1, 1], type: 'float32' });

      // A device's regression records: taken once; a record with both a label and a value is refused, naming the field.
      const valueRecord = { ...record(900), model: 'penguins-mass', output: { value: 4321.5 } };
      const sent = await device('/v1/device/inferences', json({ deviceId: 'device-mass', records: [valueRecord] }));
      expect(await sent.json()).toEqual({ accepted: 1, duplicates: 0 });
      const mixed = await device('/v1/device/inferences', json({ deviceId: 'device-mass', records: [{ ...record(901), model: 'penguins-mass', output: { value: 1, label: 'Adelie' } }] }));
      expect(mixed.status).toBe(400);
      expect(JSON.stringify(await mixed.json())).toContain('records.0.output');
      const mass = (await (await api('/v1/projects/demo/models/penguins-mass')).json()) as { versions: { version: number; predictions: number }[] };
      expect(mass.versions[0]).toMatchObject({ version: 1, predictions: 1 });

      // Server-side fallback: the hub runs the published artifact on raw records, as a device's
      // onnxruntime-web would (checked here in this process), and logs each prediction once.
      const inputs = [{ Species: 'Gentoo', Island: 'Biscoe', 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 15, 'Flipper Length (mm)': 215, Sex: 'MALE' }, { Species: 'Adelie', Island: 'Dream', 'Beak Length (mm)': null, Sex: null }];
      const predictRequest = { deviceId: 'device-server', records: inputs.map((input, i) => ({ id: `srv-${i}-${'x'.repeat(8)}`, seq: i + 1, createdAt: 1_700_000_000_000 + i, input })) };
      const predicted = await device('/v1/device/models/penguins-mass/predict', json(predictRequest));
      expect(predicted.status).toBe(200);
      const body = (await predicted.json()) as { modelVersion: number; predictions: { id: string; output: { value: number } }[] };
      expect(body.modelVersion).toBe(1);
      const ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = 1;
      const artifact = new Uint8Array(await (await device(manifest.artifact.path)).arrayBuffer());
      const session = await ort.InferenceSession.create(artifact, { executionProviders: ['wasm'] });
      const x = encodeRecords(manifest.features, inputs);
      const local = (await session.run({ [manifest.input.name]: new ort.Tensor('float32', x, [2, x.length / 2]) }))[manifest.output.name]!.data as Float32Array;
      await session.release();
      expect(body.predictions.map((p) => p.id)).toEqual(['srv-0-xxxxxxxx', 'srv-1-xxxxxxxx']);
      body.predictions.forEach((p, i) => expect(p.output.value).toBe(local[i]));
      expect(body.predictions[0]!.output.value).toBeGreaterThan(4000); // a big male Gentoo, in grams
      // The same request again predicts again but logs nothing twice: 1 device record + 2 server ones.
      expect((await device('/v1/device/models/penguins-mass/predict', json(predictRequest))).status).toBe(200);
      const counted = (await (await api('/v1/projects/demo/models/penguins-mass')).json()) as { versions: { predictions: number }[] };
      expect(counted.versions[0]!.predictions).toBe(3);
      // Bad input names the record and field; an unpublished model is a 404; nothing more is logged.
      const badInput = await device('/v1/device/models/penguins-mass/predict', json({ ...predictRequest, records: [{ ...predictRequest.records[0]!, id: 'srv-bad-xxxxxxxx', input: { 'Beak Length (mm)': 'long' } }] }));
      expect(badInput.status).toBe(400);
      expect(((await badInput.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('records.0.input.Beak Length (mm)');
      expect((await device('/v1/device/models/nope/predict', json(predictRequest))).status).toBe(404);
      expect((await device('/v1/device/models/penguins-mass/predict', json({ ...predictRequest, records: [] }))).status).toBe(400);
      expect((await api('/v1/device/models/penguins-mass/predict', { ...json(predictRequest), token: null })).status).toBe(401);
      expect(((await (await api('/v1/projects/demo/models/penguins-mass')).json()) as { versions: { predictions: number }[] }).versions[0]!.predictions).toBe(3);
    }, 120_000);

    it('predicts on the server only where it can run models', async () => {
      if (hub.canTrain) return; // Node: checked with the regressor above
      const res = await device('/v1/device/models/penguins/predict', json({ deviceId: 'device-server', records: [{ id: 'srv-0-xxxxxxxx', seq: 1, createdAt: 1, input: {} }] }));
      expect(res.status).toBe(501);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_IMPLEMENTED');
    });

    it('splits a version into train/validation/test versions, deterministically, with lineage', async () => {
      type Split = { hash: string; sizes: Record<string, number>; balance: { counts: Record<string, Record<string, number>> }; versions: Record<string, { dataset: string; version: number; rowCount: number; parents: unknown[]; operation: { kind: string; params: Record<string, unknown> } }> };
      const split = (body: object) => api('/v1/projects/demo/datasets/penguins/versions/1/split', json(body));
      const res = await split({ method: 'stratified', column: 'Species', seed: 7 });
      expect(res.status).toBe(201);
      const first = (await res.json()) as Split;
      expect(first.sizes.train! + first.sizes.validation! + first.sizes.test!).toBe(344);
      expect(first.versions.train).toMatchObject({ dataset: 'penguins-train', version: 1, rowCount: first.sizes.train, parents: [{ dataset: 'penguins', version: 1 }] });
      expect(first.versions.test!.operation).toMatchObject({ kind: 'split', params: { method: 'stratified', column: 'Species', seed: 7, part: 'test', hash: first.hash } });
      // Class balance holds in every part (within a row per class).
      expect(Math.abs(first.balance.counts.train!.Adelie! - 152 * 0.7)).toBeLessThanOrEqual(1);
      const again = (await (await split({ method: 'stratified', column: 'Species', seed: 7 })).json()) as Split;
      expect(again.hash).toBe(first.hash);
      expect(again.versions.train!.version).toBe(1); // same bytes: the same version, not a new one
      expect(((await (await split({ method: 'stratified', column: 'Species', seed: 8 })).json()) as Split).hash).not.toBe(first.hash);
      const bad = await split({ method: 'group', column: 'species' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('column');
    });

    it('synthesizes seeded rows from a profile into a new version', async () => {
      const synth = (body: object) => api('/v1/projects/demo/datasets/penguins/versions/1/synthesize', json(body));
      const res = await synth({ rows: 500, seed: 1 });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ dataset: 'penguins-synthetic', version: 1, rowCount: 500, parents: [{ dataset: 'penguins', version: 1 }], operation: { kind: 'synthesize', params: { rows: 500, seed: 1 } } });
      expect(((await (await synth({ rows: 500, seed: 1 })).json()) as { version: number }).version).toBe(1); // same seed, same bytes
      expect(((await (await synth({ rows: 500, seed: 2 })).json()) as { version: number }).version).toBe(2);
      const profile = (await (await api('/v1/projects/demo/datasets/penguins-synthetic/versions/1/profile')).json()) as DatasetProfile;
      const species = profile.columns.find((c) => c.name === 'Species')!.categorical!.top.map((t) => t.value).sort();
      expect(species).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
      const mass = profile.columns.find((c) => c.name === 'Body Mass (g)')!.numeric!;
      expect(mass.min).toBeGreaterThanOrEqual(2700);
      expect(mass.max).toBeLessThanOrEqual(6300);
      expect((await synth({ rows: 0 })).status).toBe(400);
    });
  });
}
