/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** The console page of a model's rollout: live state, stages, guard metrics and version mix; forms to change it. */
import type { RolloutView } from '../rollout/service.ts';
import type { Rule } from '../rollout/policy.ts';
import { Field, Problem, type FormState } from './forms.tsx';
import { liveRefreshScript } from './layout.tsx';

export const rolloutUrl = (project: string, model: string) => `/console/projects/${project}/models/${model}/rollout`;

/** Seconds between refreshes of the live part of the page. */
export const REFRESH_SECONDS = 5;

/** Each form of the page, with its own input and problem. */
export interface RolloutForms {
  start: FormState;
  action: FormState;
  guards: FormState;
  rule: FormState;
  pin: FormState;
}

const when = (ms: number | null) => (ms === null ? '–' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
const num = (x: number | null, digits = 3) => (x === null ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(digits));

const CSS = `ol.stages{display:flex;gap:.3rem;list-style:none;padding:0;margin:.5rem 0}
ol.stages li{background:#fff;border:1px solid #cbd5e1;border-radius:4px;padding:.2rem .8rem}
ol.stages li.done{background:#dff5e3;border-color:#86efac}ol.stages li.current{background:#1d2330;color:#fff;font-weight:700}
.state.running{color:#17612a}.state.paused{color:#92400e}.state.rolled_back{color:#b42318}.state.completed{color:#1d4ed8}
table.mix td.bar{width:45%}table.mix td.bar div{background:#93c5fd;border-radius:2px;font-size:.75rem;padding-left:.3rem;white-space:nowrap}
.small{font-size:.8rem;font-weight:400}p.next{background:#fff;border-left:3px solid #93c5fd;padding:.3rem .6rem}`;

const REFRESH_SCRIPT = liveRefreshScript(REFRESH_SECONDS);

function describeWhen(w: Rule['when']): string {
  const parts = [
    w.platform && `platform ${w.platform.join(' or ')}`,
    w.appVersion && `app ${w.appVersion}`,
    w.locale && `locale ${w.locale.join(' or ')}`,
    w.webgpu !== undefined && (w.webgpu ? 'has WebGPU' : 'no WebGPU'),
    ...Object.entries(w.attributes ?? {}).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(' or ') : v}`),
  ].filter(Boolean);
  return parts.join(', ') || 'every device';
}

/** State, stages (the current one highlighted), guard metrics against thresholds, who runs what: refreshed in place. */
export function LiveRollout(props: { r: RolloutView }) {
  const { r } = props;
  const p = r.policy;
  const live = p.state === 'running' || p.state === 'paused';
  const g = p.guards;
  return (
    <section id="live" data-state={p.state}>
      <p>
        State: <strong class={`state ${p.state}`}>{p.state.replace('_', ' ')}</strong>
        {' · '}production: <strong>{r.production === null ? 'nothing published' : `version ${r.production}`}</strong>
        {p.candidate !== null && <> · candidate: <strong>version {p.candidate}</strong></>}
        {live && !p.weights && <> · on the candidate: <strong data-percent={r.percent}>{r.percent} %</strong></>}
      </p>
      {p.weights ? (
        <p>Fixed split: {Object.entries(p.weights).map(([v, w]) => `v${v} ${w} %`).join(', ')}</p>
      ) : (
        <ol class="stages">
          {p.stages.map((s, i) => (
            <li class={live && i === p.stage ? 'current' : i < p.stage || p.state === 'completed' ? 'done' : ''} data-stage={i}>
              {s} %
            </li>
          ))}
        </ol>
      )}
      {live && !p.weights && (
        <p class="muted">
          Stage {p.stage + 1} of {p.stages.length} since {when(p.stageStartedAt)} UTC; at least {p.stageMinutes} min{r.stageEndsAt !== null && <> (until {when(r.stageEndsAt)} UTC)</>}.
        </p>
      )}
      <p class="next">{r.next}</p>

      <h2>Guards</h2>
      <p class="muted">
        Roll back when the error rate passes {g.maxErrorRate}
        {g.maxLatencyP95Ms !== undefined && <> or p95 latency passes {g.maxLatencyP95Ms} ms</>}, judged on at least {g.minSamples} predictions per stage.
      </p>
      {r.guards.length === 0 ? (
        <p class="muted">Nothing is being rolled out.</p>
      ) : (
        <table class="guards">
          <thead><tr><th>Version</th><th>Role</th><th>Samples</th><th>Errors</th><th>Error rate (max {g.maxErrorRate})</th><th>p95 latency{g.maxLatencyP95Ms !== undefined ? ` (max ${g.maxLatencyP95Ms} ms)` : ''}</th><th>Verdict</th></tr></thead>
          <tbody>
            {r.guards.map((v) => (
              <tr data-version={v.version} class={v.verdict?.status === 'fail' ? 'failed' : ''}>
                <td>{v.version}</td>
                <td>{v.role}</td>
                <td>{v.metrics.samples}</td>
                <td>{v.metrics.errors}</td>
                <td>{num(v.metrics.errorRate)}</td>
                <td>{num(v.metrics.p95LatencyMs, 1)} ms</td>
                <td>{v.verdict ? <span class={v.verdict.status === 'fail' ? 'fail' : v.verdict.status === 'pass' ? 'pub' : 'muted'}>{v.verdict.status}: {v.verdict.text}</span> : <span class="muted">baseline</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Who runs what <span class="muted small">devices seen in the last hour, refreshed every {REFRESH_SECONDS} s</span></h2>
      {r.mix.length === 0 ? (
        <p class="muted">No predictions synced in the last hour.</p>
      ) : (
        <table class="mix">
          <thead><tr><th>Version</th><th>Devices</th><th>Predictions</th><th>Share of devices</th></tr></thead>
          <tbody>
            {r.mix.map((m) => {
              const total = r.mix.reduce((a, x) => a + x.devices, 0);
              const share = total ? (100 * m.devices) / total : 0;
              return (
                <tr data-version={m.version}>
                  <td>{m.version}</td>
                  <td class="devices">{m.devices}</td>
                  <td>{m.predictions}</td>
                  <td class="bar"><div style={`width:${share.toFixed(1)}%`}>{share.toFixed(0)} %</div></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>History</h2>
      {p.history.length === 0 ? (
        <p class="muted">Nothing yet.</p>
      ) : (
        <ul class="history">
          {[...p.history].reverse().map((h) => (
            <li data-action={h.action}>{when(h.at)} <strong>{h.action}</strong> by {h.actor}: {h.detail}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function RolloutPage(props: { project: string; model: string; r: RolloutView; versions: number[]; forms: RolloutForms }) {
  const { r, forms } = props;
  const p = r.policy;
  const base = rolloutUrl(props.project, props.model);
  const live = p.state === 'running' || p.state === 'paused';
  return (
    <>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
      <p><a href={`/console/projects/${props.project}/models/${props.model}`}>← model {props.model}</a></p>
      <h1>Rollout of {props.model} <span class="muted">project {props.project}</span></h1>
      <LiveRollout r={r} />

      <h2>Act</h2>
      <Problem form={forms.action} />
      {live ? (
        <form method="post" action={`${base}/action`} class="op inline" id="act">
          <Field form={forms.action} name="reason" label="Why" placeholder="kept in the audit log (required to roll back)" />
          {p.state === 'running' && <button type="submit" name="action" value="pause">Pause</button>}
          {p.state === 'paused' && <button type="submit" name="action" value="resume">Resume</button>}
          {!p.weights && <button type="submit" name="action" value="advance">Advance now</button>}
          <button type="submit" name="action" value="rollback">Roll back</button>
          <button type="submit" name="action" value="evaluate">Evaluate now</button>
        </form>
      ) : (
        <>
          <Problem form={forms.start} />
          <form method="post" action={`${base}/start`} class="op inline" id="start">
            <label class="field">Version
              <select name="version">
                {props.versions.filter((v) => v !== r.production).map((v) => <option value={String(v)} selected={forms.start.values.version === String(v)}>{v}</option>)}
              </select>
            </label>
            <Field form={forms.start} name="stages" label="Stages (%)" value={p.stages.join(', ')} />
            <Field form={forms.start} name="stageMinutes" label="Minutes per stage" type="number" value={String(p.stageMinutes)} />
            <Field form={forms.start} name="reason" label="Why" placeholder="optional" />
            <button type="submit">Start rollout</button>
          </form>
        </>
      )}

      <h2>Guard thresholds</h2>
      <Problem form={forms.guards} />
      <form method="post" action={`${base}/guards`} class="op inline" id="guards">
        <Field form={forms.guards} name="maxErrorRate" label="Max error rate" type="number" step="any" value={String(p.guards.maxErrorRate)} />
        <Field form={forms.guards} name="maxLatencyP95Ms" label="Max p95 latency (ms)" type="number" step="any" value={p.guards.maxLatencyP95Ms === undefined ? '' : String(p.guards.maxLatencyP95Ms)} hint="blank: not guarded" />
        <Field form={forms.guards} name="minSamples" label="Samples per stage" type="number" value={String(p.guards.minSamples)} />
        <button type="submit">Save</button>
      </form>

      <h2>Targeting rules <span class="muted small">first match wins; after pins, before the split</span></h2>
      {p.rules.length === 0 ? (
        <p class="muted">No rules.</p>
      ) : (
        <table class="rules">
          <thead><tr><th>#</th><th>Name</th><th>Version</th><th>When</th><th></th></tr></thead>
          <tbody>
            {p.rules.map((rule, i) => (
              <tr data-rule={rule.name}>
                <td>{i + 1}</td>
                <td>{rule.name}</td>
                <td>{rule.version}</td>
                <td>{describeWhen(rule.when)}</td>
                <td>
                  <form method="post" action={`${base}/rules/remove`} class="op inline">
                    <input type="hidden" name="name" value={rule.name} />
                    <button type="submit">Remove</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Problem form={forms.rule} />
      <form method="post" action={`${base}/rules`} class="op inline" id="add-rule">
        <Field form={forms.rule} name="name" label="Name" />
        <Field form={forms.rule} name="version" label="Version" type="number" />
        <Field form={forms.rule} name="platform" label="Platforms" placeholder="android, ios" />
        <Field form={forms.rule} name="appVersion" label="App version" placeholder=">=1.4.0 <2" />
        <Field form={forms.rule} name="locale" label="Locales" placeholder="de, fr-CA" />
        <label class="field">WebGPU
          <select name="webgpu">
            {[['', 'any'], ['yes', 'has WebGPU'], ['no', 'no WebGPU']].map(([v, label]) => <option value={v} selected={(forms.rule.values.webgpu ?? '') === v}>{label}</option>)}
          </select>
        </label>
        <Field form={forms.rule} name="attributes" label="Attributes" placeholder="plan=pro|team, cohort=a" />
        <button type="submit">Add rule</button>
      </form>

      <h2>Pinned devices <span class="muted small">QA: an install id always gets its version</span></h2>
      {Object.keys(p.pins).length === 0 ? (
        <p class="muted">No pins.</p>
      ) : (
        <table class="pins">
          <thead><tr><th>Install id</th><th>Version</th><th></th></tr></thead>
          <tbody>
            {Object.entries(p.pins).map(([id, v]) => (
              <tr data-pin={id}>
                <td><code>{id}</code></td>
                <td>{v}</td>
                <td>
                  <form method="post" action={`${base}/pins/remove`} class="op inline">
                    <input type="hidden" name="installId" value={id} />
                    <button type="submit">Unpin</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Problem form={forms.pin} />
      <form method="post" action={`${base}/pins`} class="op inline" id="pin">
        <Field form={forms.pin} name="installId" label="Install id" />
        <Field form={forms.pin} name="version" label="Version" type="number" />
        <button type="submit">Pin</button>
      </form>
      <p class="muted">Salt <code>{p.salt}</code>: it decides every device's bucket; change it (over the API) only to reshuffle everyone.</p>
      <script dangerouslySetInnerHTML={{ __html: REFRESH_SCRIPT }} />
    </>
  );
}
