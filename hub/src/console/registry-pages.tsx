/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** Console pages of the registry: a model (versions, aliases, minimum version, audit trail), a project's audit log, the signing keys. */
import type { AliasView, AuditEntryView, SigningKeyView } from '../registry/wire.ts';
import { describeAudit } from '../registry/audit-text.ts';
import { Field, Problem, type FormState } from './forms.tsx';

export const modelUrl = (project: string, model: string) => `/console/projects/${project}/models/${model}`;
export const auditUrl = (project: string) => `/console/projects/${project}/audit`;
export const KEYS_URL = '/console/signing-keys';

const when = (ms: number | null) => (ms === null ? '–' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export interface ModelPageData {
  project: string;
  name: string;
  published: number | null;
  minVersion: number;
  aliases: AliasView[];
  versions: Array<{ version: number; createdAt: number; sha256: string; score: string; predictions: number }>;
  audit: AuditEntryView[];
}

/** The forms of the model page, each with its own input and problem. */
export interface ModelForms {
  alias: FormState;
  remove: FormState;
  minVersion: FormState;
}

export function AuditTable(props: { entries: AuditEntryView[] }) {
  if (props.entries.length === 0) return <p class="muted">No changes recorded yet.</p>;
  return (
    <table class="audit">
      <thead><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Why</th></tr></thead>
      <tbody>
        {props.entries.map((e) => (
          <tr data-action={e.action}>
            <td>{when(e.createdAt)}</td>
            <td>{e.actor}</td>
            <td>{describeAudit(e)}</td>
            <td>{e.reason ?? <span class="muted">–</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ModelPage(props: { model: ModelPageData; forms: ModelForms }) {
  const { model: m, forms } = props;
  const base = modelUrl(m.project, m.name);
  const aliasesOf = (version: number) => m.aliases.filter((a) => a.version === version);
  return (
    <>
      <p><a href="/console">← Overview</a> · <a href={auditUrl(m.project)}>project audit log</a> · <a href={`${base}/rollout`}>rollout</a> · <a href={`${base}/monitoring`}>monitoring</a></p>
      <h1>Model {m.name} <span class="muted">project {m.project}</span></h1>

      <h2>Versions</h2>
      <table>
        <thead><tr><th>Version</th><th>Aliases</th><th>Created</th><th>Validation</th><th>Artifact</th><th>Synced predictions</th><th></th></tr></thead>
        <tbody>
          {m.versions.map((v) => (
            <tr data-version={v.version}>
              <td>{v.version}</td>
              <td>
                {aliasesOf(v.version).map((a) => <><span class={a.alias === 'production' ? 'pub' : 'tag'}>{a.alias}</span>{' '}</>)}
                {v.version < m.minVersion && <span class="fail">below minimum</span>}
              </td>
              <td>{when(v.createdAt)}</td>
              <td>{v.score}</td>
              <td><code>{v.sha256.slice(0, 12)}</code></td>
              <td>{v.predictions}</td>
              <td><a href={`${base}/versions/${v.version}/card`}>card</a></td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Aliases</h2>
      <p class="muted">Devices run <strong>production</strong> (unless a rollout says otherwise): moving it publishes that version and re-signs the manifests. Other aliases (staging, …) are names for people and pipelines.</p>
      {m.aliases.length === 0 ? (
        <p class="muted">No aliases: nothing is published.</p>
      ) : (
        <table class="aliases">
          <thead><tr><th>Alias</th><th>Version</th><th>Moved (UTC)</th><th>By</th><th></th></tr></thead>
          <tbody>
            {m.aliases.map((a) => (
              <tr data-alias={a.alias}>
                <td>{a.alias}</td>
                <td>{a.version}</td>
                <td>{when(a.updatedAt)}</td>
                <td>{a.updatedBy}</td>
                <td>
                  {a.alias !== 'production' && (
                    <ReasonAction action={`${base}/aliases/${a.alias}/remove`} label="Remove" />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Problem form={forms.remove} />
      <h3>Move an alias</h3>
      <Problem form={forms.alias} />
      <form method="post" action={`${base}/aliases`} class="op inline" id="move-alias">
        <Field form={forms.alias} name="alias" label="Alias" value="production" hint="1–32 of a-z, 0-9, -" />
        <Field form={forms.alias} name="version" label="Version" type="number" value={m.published === null ? '' : String(m.published)} />
        <Field form={forms.alias} name="reason" label="Why" placeholder="optional, kept in the audit log" />
        <button type="submit">Move</button>
      </form>

      <h2>Minimum version: <span data-min-version={m.minVersion}>{m.minVersion}</span></h2>
      <p class="muted">Signed into every manifest: a device that has seen it refuses older versions, so a replayed old manifest cannot downgrade it. At most the production version.</p>
      <Problem form={forms.minVersion} />
      <form method="post" action={`${base}/min-version`} class="op inline" id="min-version">
        <Field form={forms.minVersion} name="version" label="Minimum version" type="number" value={String(m.minVersion)} />
        <Field form={forms.minVersion} name="reason" label="Why" placeholder="optional, kept in the audit log" />
        <button type="submit">Set</button>
      </form>

      <h2>Audit trail</h2>
      <AuditTable entries={m.audit} />
    </>
  );
}

export function AuditPage(props: { project: string; entries: AuditEntryView[] }) {
  return (
    <>
      <p><a href="/console">← Overview</a></p>
      <h1>Audit log <span class="muted">project {props.project}</span></h1>
      <p class="muted">Every change to the registry and rollouts, newest first; entries marked (hub) concern every project (signing keys).</p>
      <AuditTable entries={props.entries} />
    </>
  );
}

export function KeysPage(props: { keys: SigningKeyView[]; form: FormState; audit: AuditEntryView[] }) {
  const trusted = props.keys.filter((k) => k.status !== 'retired').map(({ keyId, publicKey }) => ({ keyId, publicKey }));
  return (
    <>
      <h1>Signing keys</h1>
      <p class="muted">
        The active key signs every manifest. To rotate: create a key (status next), ship its public key in your apps' <code>trustedKeys</code>, then activate it;
        the active key retires and manifests are re-signed with the new one on their next request.
      </p>
      <Problem form={props.form} />
      <table class="keys">
        <thead><tr><th>Key id</th><th>Status</th><th>Created (UTC)</th><th>Public key</th><th></th></tr></thead>
        <tbody>
          {props.keys.map((k) => (
            <tr data-key={k.keyId} data-status={k.status}>
              <td><code>{k.keyId}</code></td>
              <td><span class={k.status === 'active' ? 'pub' : k.status === 'retired' ? 'muted' : 'tag'}>{k.status}</span></td>
              <td>{when(k.createdAt)}</td>
              <td><code>{k.publicKey}</code></td>
              <td>
                {k.status !== 'active' && (
                  <ReasonAction action={`${KEYS_URL}/${k.keyId}/activate`} label="Activate" />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={KEYS_URL} class="op inline" id="create-key">
        <Field form={props.form} name="reason" label="Why" placeholder="optional, kept in the audit log" />
        <button type="submit">Create a next key</button>
      </form>
      <h2>trustedKeys for your apps</h2>
      <pre><code>{JSON.stringify(trusted, null, 2)}</code></pre>
      <h2>Key changes</h2>
      <AuditTable entries={props.audit} />
    </>
  );
}

/** A one-button change with an optional reason for the audit log. */
function ReasonAction(props: { action: string; label: string }) {
  return (
    <form method="post" action={props.action} class="op inline">
      <input type="text" name="reason" placeholder="why (optional)" maxlength={500} />
      <button type="submit">{props.label}</button>
    </form>
  );
}
