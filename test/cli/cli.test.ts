import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHub, type RunningHub } from '../support/hub-process.ts';
import { cliIn } from '../support/cli.ts';
import { VEGA_DATA_DIR } from '../support/penguins.ts';

/** The `outpost` CLI as a user runs it, against a real Node hub on loopback. */
describe('outpost CLI', () => {
  let hub: RunningHub;
  let dir: string;
  const outpost = cliIn(() => dir);

  beforeAll(async () => {
    hub = await startNodeHub();
    dir = await mkdtemp(join(tmpdir(), 'outpost-cli-'));
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a wrong token at login and saves a right one readable only by the user', async () => {
    const bad = await outpost('login', hub.baseUrl, '--token', 'opa_nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('admin token');
    const ok = await outpost('login', hub.baseUrl, '--token', hub.adminToken, '--project', 'demo');
    expect(ok.code).toBe(0);
    expect((await stat(join(dir, 'config.json'))).mode & 0o077).toBe(0);
  });

  it('runs the loop: project, data, train, publish — with clear errors on bad input', async () => {
    const created = await outpost('projects', 'create', 'demo');
    expect(created.stdout).toMatch(/project key .*opk_/);

    const csv = join(dir, 'broken.csv');
    await writeFile(csv, 'a,b\n1,2\n3\n');
    const broken = await outpost('data', 'push', csv, '--dataset', 'broken');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/malformed CSV/);
    expect(broken.stderr).toMatch(/row 2/);

    const pushed = await outpost('data', 'push', join(VEGA_DATA_DIR, 'penguins.json'), '--dataset', 'penguins');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(/penguins version 1: 344 rows/);
    // Not a terminal: progress comes as plain lines on stderr, stdout holds the result alone.
    expect(pushed.stderr).toMatch(/^uploading penguins\.json: 0% \(0\.0 of 0\.\d MB\)\n(?:uploading penguins\.json: \d+0% .*\n)*uploading penguins\.json: 100% .*\nthe hub is reading, profiling and validating it…\n$/);

    // A URL is fetched by the hub, which refuses its own machine unless its operator allows it.
    const fromUrl = await outpost('data', 'push', `${hub.baseUrl}/v1/health`, '--dataset', 'web', '--format', 'json');
    expect(fromUrl.code).toBe(1);
    expect(fromUrl.stderr).toMatch(/127\.0\.0\.1 is on this machine or a private network/);
    expect((await outpost('data', 'push', 'https://example.com/x.csv', '--dataset', 'web', '--types', 'a:whatever')).stderr).toMatch(/--types "a:whatever": write column:type/);

    const profile = await outpost('data', 'profile', 'penguins');
    expect(profile.stderr).toBe('');
    expect(profile.stdout).toMatch(/^penguins version 1: 344 rows/);
    expect(profile.stdout).toMatch(/Body Mass \(g\)\s+numeric\s+2\s+94\s+4202/);
    expect(profile.stdout).toMatch(/Species\s+categorical\s+0\s+3\s+.*Adelie 152, Gentoo 124, Chinstrap 68/);

    const suggested = await outpost('data', 'suite', 'suggest', 'penguins');
    expect(suggested.stdout).toMatch(/^name: penguins-v1-suggested/);
    await writeFile(join(dir, 'suite.yaml'), suggested.stdout);
    expect((await outpost('data', 'suite', 'set', 'penguins', join(dir, 'suite.yaml'))).stdout).toMatch(/suite attached to penguins/);
    const passed = await outpost('data', 'validate', 'penguins');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/suite penguins-v1-suggested passed on 344 rows/);

    await writeFile(join(dir, 'strict.yaml'), 'name: strict\nexpectations:\n  - type: in_set\n    column: Sex\n    values: [MALE, FEMALE]\n');
    const failed = await outpost('data', 'validate', 'penguins', '--suite', join(dir, 'strict.yaml'));
    expect(failed.code).toBe(3);
    expect(failed.stdout).toMatch(/suite strict FAILED on 344 rows/);
    expect(failed.stdout).toMatch(/FAIL #0 in_set Sex: 1 of 334 rows fail\n\s+row \d+: "\."/);
    await writeFile(join(dir, 'broken.yaml'), 'name: [unclosed');
    const badYaml = await outpost('data', 'suite', 'set', 'penguins', join(dir, 'broken.yaml'));
    expect(badYaml.code).toBe(2);
    expect(badYaml.stderr).toMatch(/broken.yaml is not valid YAML/);

    // A smaller second version: lineage in `data log`, flagged by the attached suite (row count).
    const fewer = (JSON.parse(await readFile(join(VEGA_DATA_DIR, 'penguins.json'), 'utf8')) as unknown[]).slice(0, 294);
    await writeFile(join(dir, 'penguins-294.json'), JSON.stringify(fewer));
    const v2 = await outpost('data', 'push', join(dir, 'penguins-294.json'), '--dataset', 'penguins', '-m', 'drop the last 50 birds');
    expect(v2.stdout).toMatch(/penguins version 2: 294 rows/);
    const log = await outpost('data', 'log', 'penguins');
    expect(log.stdout).toMatch(/^version 2 {2}sha256 [0-9a-f]{64} {2}\[validation failed\]\n.* by admin-token-1: upload format="json"\n {2}from penguins v1 · 294 rows, 7 columns\n {2}drop the last 50 birds\n\nversion 1 /);

    const diff = await outpost('data', 'diff', 'penguins', '1', '2');
    expect(diff.stdout).toMatch(/^penguins v1 → v2 \(by row hash\): 0 added, 50 removed, 0 changed, 294 unchanged\n {2}- row 295: \{"Species":"Gentoo"/);
    const split = await outpost('data', 'split', 'penguins', '--method', 'stratified', '--column', 'Species', '--seed', '3', '--dataset-version', '1');
    expect(split.stdout).toMatch(/^split penguins v1 \(hash [0-9a-f]{64}\):\n {2}train {6}penguins-train v1: 241 rows {2}Adelie 106, Chinstrap 48, Gentoo 87\n/);
    expect((await outpost('data', 'split', 'penguins', '--method', 'stratified', '--fractions', '0.5,0.5')).stderr).toMatch(/--fractions takes three numbers/);

    await writeFile(join(dir, 'recipe.yaml'), 'name: tidy\nsteps:\n  - op: impute\n    column: Body Mass (g)\n    strategy: median\n  - op: drop_rows\n    where: Sex is null\n');
    const clean = await outpost('data', 'clean', 'penguins', '--recipe', join(dir, 'recipe.yaml'), '--dataset-version', '1');
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toMatch(/^penguins-clean version 1: 334 rows from penguins v1 \(recipe [0-9a-f]{12}\)\n {2}#0 impute Body Mass \(g\): 2 affected \{"median":4050\}\n {2}#1 drop_rows: 10 affected/);
    expect((await outpost('data', 'clean', 'penguins', '--replay', 'nope')).stderr).toMatch(/--replay takes DATASET@VERSION/);

    expect((await outpost('labels', 'create', 'heavy', '--dataset', 'penguins', '--dataset-version', '1', '--column', 'checked', '--classes', 'ok,heavy')).stdout).toBe(
      'label set heavy on penguins v1: 344 rows, classes ok, heavy\n',
    );
    expect((await outpost('labels', 'rule', 'heavy', '--where', '`Body Mass (g)` > 6000', '--label', 'heavy')).stdout).toBe('labeled 2 rows heavy\n');
    expect((await outpost('labels', 'show', 'heavy')).stdout).toMatch(/^label set heavy on penguins v1: 2 of 344 rows labeled\n {2}rules: 2 rows\n/);
    expect((await outpost('labels', 'commit', 'heavy')).stdout).toBe('penguins-labeled version 1: 344 rows with labels from heavy\n');
    expect((await outpost('labels', 'create', 'x', '--dataset', 'penguins', '--column', 'c')).stderr).toMatch(/--classes is required/);

    const arrow = await outpost('data', 'push', join(VEGA_DATA_DIR, 'flights-200k.arrow'), '--dataset', 'flights');
    expect(arrow.stdout).toMatch(/^flights version 1: 200000 rows, 3 columns \(delay:integer, distance:integer, time:number\)/);
    await writeFile(join(dir, 'ragged.tsv'), 'a\tb\n1\t2\n3\n');
    expect((await outpost('data', 'push', join(dir, 'ragged.tsv'), '--dataset', 'ragged')).stderr).toMatch(/malformed TSV: row 2: expected 2 fields, got 1/);
    expect((await outpost('data', 'push', join(dir, 'ragged.tsv'), '--dataset', 'ragged', '--skip-bad-rows')).stdout).toMatch(/^ragged version 1: 1 rows \(1 bad rows skipped\)/);

    expect((await outpost('data', 'synthesize', 'penguins', '--rows', '1000', '--seed', '5', '--dataset-version', '1')).stdout).toBe(
      'penguins-synthetic version 1: 1000 synthetic rows from penguins v1\n',
    );

    const wrongLabel = await outpost('train', '--model', 'penguins', '--dataset', 'penguins', '--label', 'species');
    expect(wrongLabel.code).toBe(1);
    expect(wrongLabel.stderr).toMatch(/field label, column species: no column species; columns are: Species/);

    const usage = await outpost('train', '--model', 'penguins', '--dataset', 'penguins');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--label is required');

    // penguins v2 failed the attached suite above: training on it needs a stated reason.
    const gated = await outpost('train', '--model', 'penguins', '--dataset', 'penguins', '--label', 'Species');
    expect(gated.code).toBe(1);
    expect(gated.stderr).toMatch(/^error: penguins version 2 failed its expectation suite; .*--allow-failed-validation REASON/);
    const trained = await outpost('train', '--model', 'penguins', '--dataset', 'penguins', '--label', 'Species', '--epochs', '40', '--allow-failed-validation', 'the suite is a demo', '--tag', 'baseline', '--notes', 'first');
    // Live progress on stderr (not a terminal: a line per tenth of the epochs, ending with the last).
    expect(trained.stderr).toMatch(/^(epoch \d+\/40 {2}loss \d\.\d{4} {2}val loss \d\.\d{4} {2}val acc \d\.\d{3}\n)+$/);
    expect(trained.stderr).toMatch(/epoch 40\/40 .*\n$/);
    expect(trained.stdout).toMatch(/succeeded: version 1, validation accuracy \d+\.\d %/);
    const softmax = await outpost('train', '--model', 'penguins', '--dataset', 'penguins', '--label', 'Species', '--epochs', '20', '--hidden', '0', '--allow-failed-validation', 'the suite is a demo');
    expect(softmax.stdout).toMatch(/succeeded: version 2/);

    await writeFile(join(dir, 'gates.yaml'), '- kind: threshold\n  metric: testLogLoss\n  max: 0.000001\n- kind: baseline\n');
    const gated2 = await outpost('train', '--model', 'penguins', '--dataset', 'penguins', '--label', 'Species', '--epochs', '5', '--allow-failed-validation', 'the suite is a demo', '--gates', join(dir, 'gates.yaml'));
    expect(gated2.code).toBe(1);
    expect(gated2.stderr).toMatch(/failed 1 of 2 acceptance gates and was not registered: testLogLoss \d\.\d{4} must be ≤ 1\.00e-6/);
    expect(gated2.stderr).toMatch(/field gates\.0:/);

    const listed = await outpost('runs', 'list', '--model', 'penguins');
    expect(listed.stdout).toMatch(/^run +model +status +version +val acc +tags +created\n[0-9a-f]{8} +penguins +failed +- +\d\.\d{3} +- .*\n[0-9a-f]{8} +penguins +succeeded +v2 +\d\.\d{3} +- .*\n[0-9a-f]{8} +penguins +succeeded +v1 +\d\.\d{3} +baseline /);
    const [second, first] = [...listed.stdout.matchAll(/^([0-9a-f]{8}) +penguins +succeeded/gm)].map((m) => m[1]!);
    const failedRun = listed.stdout.match(/^([0-9a-f]{8}) +penguins +failed/m)![1]!;
    expect((await outpost('runs', 'show', failedRun)).stdout).toMatch(/acceptance: FAILED\n {4}FAIL threshold testLogLoss .*\n {4}pass baseline {2}test accuracy/);
    const show = await outpost('runs', 'show', first!);
    expect(show.stdout).toMatch(/^run [0-9a-f-]{36} \(penguins\) succeeded: version 1\n/);
    expect(show.stdout).toMatch(/lineage: penguins v2 \([0-9a-f]{12}\), split [0-9a-f]{12}, features [0-9a-f]{12}, code .*, seed 42/);
    expect(show.stdout).toMatch(/notes: first/);
    expect(show.stdout).toMatch(/acceptance: passed\n {4}pass baseline .*\n {4}pass parity /);
    expect(show.stdout).toMatch(/test: \d+ rows, accuracy \d\.\d{3}, macro F1 \d\.\d{3}, ROC AUC \d\.\d{3}, log loss \d\.\d{4}; baseline accuracy \d\.\d{3}\n {2}confusion \(rows: true, columns: predicted\):\n {4} +Adelie +Chinstrap +Gentoo\n/);
    expect(show.stdout).toMatch(/ {4}40 +\d\.\d{4} +\d\.\d{4} +\d\.\d{3}\n?$/);
    const compared = await outpost('runs', 'compare', first!, second!);
    expect(compared.stdout).toMatch(/\* hiddenUnits +16 +0/);
    expect(compared.stdout).toMatch(/^ {2}seed +42 +42$/m);
    expect(compared.stdout).toMatch(/best epoch \(val acc\) +\d+ \(\d\.\d{3}\) +\d+ \(\d\.\d{3}\)/);
    expect((await outpost('runs', 'tag', second!, 'softmax', 'small')).stdout).toBe(`run ${second} tags: softmax, small\n`);
    expect((await outpost('runs', 'tag', second!, 'small', '--remove')).stdout).toBe(`run ${second} tags: softmax\n`);
    expect((await outpost('runs', 'list', '--tag', 'softmax')).stdout.split('\n').filter((l) => /^[0-9a-f]{8}/.test(l))).toHaveLength(1);
    expect((await outpost('runs', 'show', 'zzzz')).stderr).toMatch(/no run starts with "zzzz"/);

    // A regressor with the model options: each epoch's validation RMSE live, the test report in grams.
    const mass = await outpost('train', '--model', 'penguins-mass', '--dataset', 'penguins', '--label', 'Body Mass (g)', '--task', 'regression', '--layers', '16,8', '--activation', 'tanh', '--dropout', '0.05', '--l2', '0.0001', '--early-stopping', '5:0.001', '--validation-fraction', '0.25', '--epochs', '40', '--allow-failed-validation', 'the suite is a demo');
    expect(mass.stderr).toMatch(/^(epoch \d+\/40 {2}loss \d\.\d{4} {2}val loss \d\.\d{4} {2}val rmse \d+\.\d{2}\n)+$/);
    expect(mass.stdout).toMatch(/succeeded: version 1, validation RMSE \d+(\.\d+)?, ONNX parity max relative \|Δ\| /);
    const massRun = (await outpost('runs', 'list', '--model', 'penguins-mass')).stdout;
    expect(massRun).toMatch(/^run +model +status +version +val acc\/rmse +tags +created\n[0-9a-f]{8} +penguins-mass +succeeded +v1 +rmse \d+/);
    const massShow = await outpost('runs', 'show', massRun.match(/^([0-9a-f]{8}) +penguins-mass/m)![1]!);
    const params = massShow.stdout.match(/^ {2}params: (.*)$/m)![1]!.split(' ');
    expect(params).toEqual(expect.arrayContaining(['task="regression"', 'layers=[16,8]', 'activation="tanh"', 'dropout=0.05', 'l2=0.0001', 'earlyStopping={"patience":5,"minDelta":0.001}', 'validationFraction=0.25']));
    expect(massShow.stdout).toMatch(/test: \d+ rows, MAE \d+(\.\d+)?, RMSE \d+(\.\d+)?, R² 0\.\d{3}; baseline \(training mean\) RMSE \d+/);
    expect(massShow.stdout).toMatch(/epoch +loss +val loss +val rmse/);
    const badTask = await outpost('train', '--model', 'penguins-mass', '--dataset', 'penguins', '--label', 'Body Mass (g)', '--task', 'ranking');
    expect(badTask).toMatchObject({ code: 2 });
    expect(badTask.stderr).toContain('--task must be one of classification, regression, got "ranking"');
    expect((await outpost('train', '--model', 'm', '--dataset', 'penguins', '--label', 'Species', '--layers', '16,x')).stderr).toContain('--layers takes hidden layer widths separated by commas, like 32,16; "x" is not a positive integer');
    expect((await outpost('train', '--model', 'm', '--dataset', 'penguins', '--label', 'Species', '--early-stopping', '0')).stderr).toContain('--early-stopping takes PATIENCE[:MIN_DELTA]');

    await writeFile(join(dir, 'space.yaml'), 'hiddenUnits: [0, 8]\nlearningRate: { min: 0.005, max: 0.05, log: true }\n');
    const searched = await outpost('search', '--model', 'penguins-search', '--dataset', 'penguins', '--label', 'Species', '--space', join(dir, 'space.yaml'), '--method', 'random', '--trials', '2', '--epochs', '5', '--allow-failed-validation', 'the suite is a demo');
    expect(searched.stderr).toMatch(/^trial 1\/2 [0-9a-f]{8} hiddenUnits=\d+ learningRate=[\d.]+: validationAccuracy \d\.\d{4}\ntrial 2\/2 .*\n$/);
    expect(searched.stdout).toMatch(/^search [0-9a-f-]{36} queued: 2 trials\nsearch [0-9a-f]{8} succeeded: best hiddenUnits=\d+ learningRate=[\d.]+ \(validationAccuracy \d\.\d{4}\); retrained as run [0-9a-f]{8}: version 1\n$/);
    expect((await outpost('search', '--model', 'x', '--dataset', 'penguins', '--label', 'Species', '--space', join(dir, 'space.yaml'), '--method', 'sideways')).stderr).toMatch(/--method must be grid, random or halving/);

    const published = await outpost('publish', 'penguins', '1');
    expect(published.stdout).toMatch(/published penguins version 1/);
    const shown = await outpost('models', 'show', 'penguins', '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: 'penguins', published: 1, versions: [{ version: 2, predictions: 0 }, { version: 1, predictions: 0 }] });

    // A run that failed its gates, registered after all with a stated reason.
    const failedId = (await outpost('runs', 'list', '--model', 'penguins')).stdout.match(/^([0-9a-f]{8}) +penguins +failed/m)![1]!;
    const overridden = await outpost('runs', 'override', failedId, 'log', 'loss', 'bar', 'was', 'a', 'test');
    expect(overridden.stdout).toMatch(/^run [0-9a-f-]{36} queued: the same training, registered with the reason\nrun [0-9a-f-]{36} succeeded: version 3,/);
    expect((await outpost('runs', 'override', failedId)).stderr).toMatch(/usage: outpost runs override <run> <reason>/);

    const keys = JSON.parse((await outpost('keys')).stdout) as { keyId: string; publicKey: string }[];
    expect(keys[0]?.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toMatchObject({ project: 'demo' });
  }, 120_000);
});
