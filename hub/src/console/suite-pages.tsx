/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { DatasetVersion } from '../data/store.ts';
import type { ValidationReport } from '../data/validate.ts';
import { Validation } from './dataset-version.tsx';
import { DocumentField, Field, Problem, type FormState } from './forms.tsx';
import { versionUrl } from './operation-pages.tsx';

/** Where a dataset's suite page lives. */
export const suiteUrl = (project: string, dataset: string) => `/console/projects/${project}/datasets/${dataset}/suite`;

const SUITE_EXAMPLE = `name: checks
expectations:
  - type: not_null
    column: some-column
  - type: row_count
    min: 1`;

/** Validate a version against a pasted suite or the attached one, and show the report (nothing is stored). */
export function ValidatePage(props: { project: string; version: DatasetVersion; form: FormState; attached: { name: string; sha256: string } | null; report: ValidationReport | null }) {
  const { version: v, form } = props;
  const base = versionUrl(props.project, v);
  return (
    <>
      <p><a href={base}>← {v.dataset} v{v.version}</a></p>
      <h1>Validate <span class="muted">{v.dataset} version {v.version} · {v.rowCount} rows</span></h1>
      <p class="muted">
        {props.attached ? (
          <>Leave the suite blank to use the suite attached to {v.dataset}, <strong>{props.attached.name}</strong>. </>
        ) : (
          <>No suite is attached to {v.dataset}: paste one. </>
        )}
        <a href={`${base}/suggested-suite`}>Suggest a suite from this version</a> · <a href={suiteUrl(props.project, v.dataset)}>attach a suite</a>
      </p>
      <Problem form={form} />
      <form method="post" class="op" action={`${base}/validate`}>
        <DocumentField form={form} name="suite" label="Expectation suite (YAML or JSON)" placeholder={SUITE_EXAMPLE} rows={12} />
        <button type="submit">Validate</button>
      </form>
      {props.report && <Validation report={props.report} />}
    </>
  );
}

/**
 * A dataset's suite: the attached one, or one suggested from a version's profile, in a textarea to
 * edit and attach. Every new version of the dataset is then validated against it.
 */
export function SuitePage(props: {
  project: string;
  dataset: string;
  latest: DatasetVersion | null;
  form: FormState;
  attached: { name: string; sha256: string } | null;
  /** The document to start from: the suggested or the attached suite, as YAML. */
  text: string;
  suggestedFrom?: { version: number; tolerance: number } | undefined;
}) {
  const { form, latest } = props;
  const from = props.suggestedFrom;
  return (
    <>
      {latest && <p><a href={versionUrl(props.project, latest)}>← {latest.dataset} v{latest.version}</a></p>}
      <h1>Suite of {props.dataset}</h1>
      <p>
        {props.attached ? (
          <>Attached: <strong>{props.attached.name}</strong> <span class="muted">sha256 <code>{props.attached.sha256}</code></span></>
        ) : (
          <span class="muted">No suite is attached.</span>
        )}
      </p>
      {from && latest && (
        <form method="get" class="op inline" action={`/console/projects/${props.project}/datasets/${props.dataset}/versions/${from.version}/suggested-suite`}>
          <span>Suggested from version {from.version}'s profile: edit it, then attach.</span>
          <Field form={form} name="tolerance" label="Tolerance" type="number" step="any" value={String(from.tolerance)} hint="(0–10, a fraction of the observed spread)" />
          <button type="submit">Suggest again</button>
        </form>
      )}
      {!from && latest && <p><a href={`${versionUrl(props.project, latest)}/suggested-suite`}>Suggest a suite from version {latest.version}</a></p>}
      <Problem form={form} />
      <form method="post" class="op" action={suiteUrl(props.project, props.dataset)}>
        <DocumentField form={form} name="suite" label="Expectation suite (YAML or JSON)" value={props.text} placeholder={SUITE_EXAMPLE} rows={24} />
        <button type="submit">Attach to {props.dataset}</button>
      </form>
    </>
  );
}
