/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Console forms: read a posted form, parse it with the API's own schemas, and show what was wrong
 * next to the input the user gave (kept), naming each field by its path, as the API does.
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ZodType } from 'zod';
import { OutpostError, type ErrorIssue } from '@outpost/shared';
import { DEFAULT_LIMITS, type HubDeps } from '../deps.ts';
import { Layout } from './layout.tsx';

/** The text fields of a submitted form, by name. */
export type FormValues = Record<string, string>;

/** What went wrong with a submission: the error's message and its issues, paths as form field names. */
export interface FormProblem {
  message: string;
  issues: ErrorIssue[];
}

/** A form as rendered: the input to show again, and the problem with it, if any. */
export interface FormState {
  values: FormValues;
  problem?: FormProblem | undefined;
}

export const EMPTY_FORM: FormState = { values: {} };

/** The posted form's text fields (files are ignored: no console form uploads one). */
export async function readForm(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

/** Form bodies up to the JSON body limit (a pasted suite or recipe); past it, a 413 page. */
export function formBodyLimit(deps: HubDeps) {
  const maxSize = deps.limits?.maxJsonBytes ?? DEFAULT_LIMITS.maxJsonBytes;
  return bodyLimit({
    maxSize,
    onError: (c) => c.html(<Layout title="Too large"><p class="err">Forms are limited to {maxSize} bytes.</p></Layout>, 413),
  });
}

/** A blank field is absent (the API default applies); anything else is kept as typed, trimmed. */
export const optional = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

/** A number field: absent when blank, NaN when not a number (the schema then names the field). */
export const numeric = (s: string | undefined): number | undefined => (optional(s) === undefined ? undefined : Number(s));

/**
 * Parse form input with a request schema: VALIDATION_FAILED with one issue per problem, each naming
 * the field by its dotted path (`fractions.train`, `recipe.steps.2.to`).
 * @example const spec = parseForm(SplitRequestSchema, { method: values.method, seed: numeric(values.seed) });
 */
export function parseForm<T>(schema: ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues: ErrorIssue[] = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'form', message: i.message }));
  throw new OutpostError('VALIDATION_FAILED', `invalid form: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}

/** The value, or VALIDATION_FAILED naming `field` when the user left it blank. */
export function required<T>(value: T | undefined, field: string, message: string): T {
  if (value === undefined) throw new OutpostError('VALIDATION_FAILED', `${field}: ${message}`, { issues: [{ path: field, message }] });
  return value;
}

/**
 * A pasted document (YAML, or JSON, which YAML reads too); blank is undefined. A syntax error is
 * VALIDATION_FAILED naming `field` and the line.
 */
export function parseDocument(text: string | undefined, field: string): unknown {
  if (optional(text) === undefined) return undefined;
  try {
    return parseYaml(text!);
  } catch (e) {
    if (!(e instanceof YAMLParseError)) throw e;
    throw new OutpostError('VALIDATION_FAILED', `${field}: not valid YAML or JSON: ${e.message.split('\n')[0]}`, { issues: [{ path: field, message: e.message.split('\n')[0]! }] });
  }
}

/**
 * The problem to show for an error; anything but an OutpostError is rethrown (a 500, as anywhere).
 * Paths from inside a pasted document (`steps.0.column`) are put under its field (`recipe.steps.0.column`);
 * paths whose first part is one of `own` (the page's fields) are kept.
 */
export function problemOf(e: unknown, document?: { field: string; own: readonly string[] }): { problem: FormProblem; error: OutpostError } {
  if (!(e instanceof OutpostError)) throw e;
  const issues = (e.issues ?? []).map((i) =>
    document && i.path !== undefined && !document.own.includes(i.path.split('.')[0]!) ? { ...i, path: `${document.field}.${i.path}` } : i,
  );
  return { problem: { message: e.message, issues }, error: e };
}

/** Whether an issue is about this field, a part of it, or a whole it belongs to (`fractions` for `fractions.train`). */
export function isInvalid(form: FormState, name: string): boolean {
  return (form.problem?.issues ?? []).some((i) => i.path !== undefined && (i.path === name || i.path.startsWith(`${name}.`) || name.startsWith(`${i.path}.`)));
}

/** The problem, above the form: message, then each issue with its field, column and row. */
export function Problem(props: { form: FormState }) {
  const p = props.form.problem;
  if (!p) return null;
  return (
    <div class="problem" role="alert">
      <p class="err"><strong>{p.message}</strong></p>
      {p.issues.length > 0 && (
        <ul>
          {p.issues.map((i) => (
            <li data-path={i.path}>
              {i.path !== undefined && <><code>{i.path}</code>{' '}</>}
              {i.column !== undefined && <>column <code>{i.column}</code>{' '}</>}
              {i.row !== undefined && <>row {i.row}{' '}</>}— {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A labelled text or number input, showing the kept value and marked when an issue names it. */
export function Field(props: { form: FormState; name: string; label: string; type?: 'text' | 'number'; value?: string; placeholder?: string; hint?: string; step?: string; list?: string }) {
  const value = props.form.values[props.name] ?? props.value ?? '';
  return (
    <label class="field">
      {props.label} {props.hint && <span class="muted">{props.hint}</span>}
      <input
        type={props.type ?? 'text'}
        name={props.name}
        value={value}
        placeholder={props.placeholder}
        step={props.step}
        list={props.list}
        aria-invalid={isInvalid(props.form, props.name) ? 'true' : undefined}
      />
    </label>
  );
}

/** A labelled textarea for a pasted YAML or JSON document. */
export function DocumentField(props: { form: FormState; name: string; label: string; value?: string; placeholder?: string; rows?: number }) {
  return (
    <label class="field">
      {props.label}
      <textarea name={props.name} rows={props.rows ?? 16} spellcheck={false} placeholder={props.placeholder} aria-invalid={isInvalid(props.form, props.name) ? 'true' : undefined}>
        {props.form.values[props.name] ?? props.value ?? ''}
      </textarea>
    </label>
  );
}
