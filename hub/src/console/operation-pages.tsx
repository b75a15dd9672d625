/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { DatasetVersion } from '../data/store.ts';
import { DocumentField, Field, isInvalid, Problem, type FormState } from './forms.tsx';

/** Where a version's console pages live. */
export const versionUrl = (project: string, v: { dataset: string; version: number }) => `/console/projects/${project}/datasets/${v.dataset}/versions/${v.version}`;

/** The version an operation page acts on, with a link back to it. */
function Heading(props: { project: string; version: DatasetVersion; action: string }) {
  const v = props.version;
  return (
    <>
      <p><a href={versionUrl(props.project, v)}>← {v.dataset} v{v.version}</a></p>
      <h1>{props.action} <span class="muted">{v.dataset} version {v.version} · {v.rowCount} rows</span></h1>
    </>
  );
}

/** The version's columns, offered as suggestions (any text can still be typed, and is kept). */
function ColumnList(props: { id: string; version: DatasetVersion }) {
  return <datalist id={props.id}>{props.version.columns.map((c) => <option value={c.name} />)}</datalist>;
}

const METHODS = [
  ['random', 'random: a seeded shuffle'],
  ['stratified', 'stratified: keeps the class balance of a column'],
  ['time', 'time: earliest rows to train, latest to test (seed unused)'],
  ['group', 'group: whole groups of a column per part, no leakage'],
] as const;

/** Split into train/validation/test versions: the fields of POST …/split. */
export function SplitPage(props: { project: string; version: DatasetVersion; form: FormState }) {
  const { form, version: v } = props;
  const method = form.values.method ?? 'random';
  return (
    <>
      <Heading project={props.project} version={v} action="Split" />
      <p class="muted">Makes new versions of {v.dataset}-train, {v.dataset}-validation and {v.dataset}-test. The same rows, method and seed always give the same split.</p>
      <Problem form={form} />
      <form method="post" class="op" action={`${versionUrl(props.project, v)}/split`}>
        <label class="field">
          Method
          <select name="method" aria-invalid={isInvalid(form, 'method') ? 'true' : undefined}>
            {METHODS.map(([value, text]) => <option value={value} selected={value === method}>{text}</option>)}
          </select>
        </label>
        <Field form={form} name="column" label="Column" hint="(stratified: the class; time: the timestamp; group: the group id)" list="split-columns" />
        <ColumnList id="split-columns" version={v} />
        <fieldset>
          <legend>Fractions (sum to 1)</legend>
          <Field form={form} name="fractions.train" label="train" type="number" step="any" value="0.7" />
          <Field form={form} name="fractions.validation" label="validation" type="number" step="any" value="0.15" />
          <Field form={form} name="fractions.test" label="test" type="number" step="any" value="0.15" />
        </fieldset>
        <Field form={form} name="seed" label="Seed" type="number" value="42" />
        <Field form={form} name="message" label="Message" hint="(optional)" />
        <button type="submit">Split</button>
      </form>
    </>
  );
}

const RECIPE_EXAMPLE = `name: tidy
steps:
  - op: trim
  - op: impute
    column: some-column
    strategy: median`;

/**
 * Clean with a recipe (YAML or JSON) or replay the recipe of a cleaned version: the fields of POST
 * …/clean. `active` says which of the two forms the kept input and the problem belong to.
 */
export function CleanPage(props: { project: string; version: DatasetVersion; form: FormState; active: 'recipe' | 'replay'; replay?: { dataset: string; version: number } | undefined }) {
  const { version: v } = props;
  const recipeForm: FormState = props.active === 'recipe' ? props.form : { values: {} };
  const replayForm: FormState = props.active === 'replay' ? props.form : { values: {} };
  const base = versionUrl(props.project, v);
  return (
    <>
      <Heading project={props.project} version={v} action="Clean" />
      <p class="muted">
        Steps: trim, coerce, impute, normalize_categories, dedupe, clip, drop_columns, drop_rows (see the <a href="/console/api">API reference</a>, Recipe).
        The whole recipe is recorded with the new version, so it can be replayed on a later version.
      </p>
      <section>
        <h2>With a recipe</h2>
        <Problem form={recipeForm} />
        <form method="post" class="op" action={`${base}/clean`}>
          <DocumentField form={recipeForm} name="recipe" label="Recipe (YAML or JSON)" placeholder={RECIPE_EXAMPLE} />
          <Field form={recipeForm} name="to" label="Target dataset" placeholder={`${v.dataset}-clean`} hint="(blank: the default shown)" />
          <Field form={recipeForm} name="message" label="Message" hint="(optional)" />
          <button type="submit">Clean</button>
        </form>
      </section>
      <section>
        <h2>Replay the recipe of a cleaned version</h2>
        <Problem form={replayForm} />
        <form method="post" class="op" action={`${base}/replay`}>
          <Field form={replayForm} name="replay.dataset" label="Cleaned dataset" value={props.replay?.dataset} />
          <Field form={replayForm} name="replay.version" label="Its version" type="number" value={props.replay ? String(props.replay.version) : undefined} />
          <Field form={replayForm} name="to" label="Target dataset" placeholder={`${v.dataset}-clean`} hint="(blank: the default shown)" />
          <Field form={replayForm} name="message" label="Message" hint="(optional)" />
          <button type="submit">Replay</button>
        </form>
      </section>
    </>
  );
}

/** Draw synthetic rows from the version's profile: the fields of POST …/synthesize. */
export function SynthesizePage(props: { project: string; version: DatasetVersion; form: FormState }) {
  const { form, version: v } = props;
  return (
    <>
      <Heading project={props.project} version={v} action="Synthesize" />
      <p class="muted">Each column is drawn on its own from the profile (missing rate, histogram, category frequencies); correlations are not kept. For tests and load, not for training.</p>
      <Problem form={form} />
      <form method="post" class="op" action={`${versionUrl(props.project, v)}/synthesize`}>
        <Field form={form} name="rows" label="Rows" type="number" value={String(v.rowCount)} hint="(1 to 1 000 000)" />
        <Field form={form} name="seed" label="Seed" type="number" value="42" />
        <Field form={form} name="to" label="Target dataset" placeholder={`${v.dataset}-synthetic`} hint="(blank: the default shown)" />
        <Field form={form} name="message" label="Message" hint="(optional)" />
        <button type="submit">Synthesize</button>
      </form>
    </>
  );
}
