import type { Assignment } from '@outpost/shared';
import type { RolloutView } from '../rollout/service.ts';
import type { Rule } from '../rollout/policy.ts';
import type { HubClient } from './client.ts';

/** What `outpost rollout …` reads from the command line (main.ts parses it). */
export interface RolloutArgs {
  positionals: string[];
  values: {
    stages?: string | undefined;
    'stage-minutes'?: string | undefined;
    'max-error-rate'?: string | undefined;
    'max-latency-p95'?: string | undefined;
    'min-samples'?: string | undefined;
    reason?: string | undefined;
    name?: string | undefined;
    version?: string | undefined;
    platform?: string | undefined;
    'app-version'?: string | undefined;
    locale?: string | undefined;
    webgpu?: string | undefined;
    attr?: string[] | undefined;
    'install-id'?: string | undefined;
  };
}

export const ROLLOUT_HELP = `  rollout show <model>                      state, stages, guard metrics per version, who runs what (last hour)
  rollout start <model> <version> [--stages 1,10,50,100] [--stage-minutes N] [--max-error-rate X]
        [--max-latency-p95 MS] [--min-samples N] [--reason R]
                                            roll a version out from production, stage by stage; stages advance
                                            while the guards hold and roll back by themselves when they fail
  rollout pause|resume|advance <model> [--reason R]
                                            stop advancing; go on; go to the next stage now (after 100 %: done)
  rollout rollback <model> --reason R       every device back on production, now
  rollout pin <model> <installId> <version> a device (QA) always gets this version
  rollout unpin <model> <installId>
  rollout rule add <model> --name N --version V [--platform a,b] [--app-version RANGE] [--locale de,fr-CA]
        [--webgpu yes|no] [--attr key=value[|value…]]…
                                            targeting rule (first match wins; after pins, before the split)
  rollout rule rm <model> <name>
  rollout assign <model> --install-id ID [--platform P] [--app-version V] [--locale L] [--webgpu yes|no]
        [--attr key=value]…                 preview the version a device would get, and why
  rollout evaluate <model>                  run the automatic step now (advance, complete, roll back or wait)`;

/** A command-line mistake: main.ts prints it and exits 2. */
export class RolloutUsageError extends Error {}

const time = (ms: number | null) => (ms === null ? '–' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16));
const num = (x: number | null, digits = 3) => (x === null ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(digits));

function number(name: string, text: string | undefined, check: (n: number) => boolean = Number.isFinite): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !check(n)) throw new RolloutUsageError(`--${name} must be a number, got "${text}"`);
  return n;
}

function yesNo(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (['yes', 'true', '1'].includes(text)) return true;
  if (['no', 'false', '0'].includes(text)) return false;
  throw new RolloutUsageError(`--webgpu takes yes or no, got "${text}"`);
}

const list = (text: string | undefined) => (text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));

/** `--attr plan=pro --attr cohort=a|b` → { plan: 'pro', cohort: ['a', 'b'] } (one value stays a string). */
function attributes(attrs: string[] | undefined, allowMany: boolean): Record<string, string | string[]> | undefined {
  if (!attrs || attrs.length === 0) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const a of attrs) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new RolloutUsageError(`--attr takes key=value, got "${a}"`);
    const values = a.slice(eq + 1).split('|');
    out[a.slice(0, eq)] = allowMany && values.length > 1 ? values : a.slice(eq + 1);
  }
  return out;
}

/** The rollout as people read it (`outpost rollout show`). */
export function formatRollout(r: RolloutView): string {
  const p = r.policy;
  const lines: string[] = [];
  const prod = r.production === null ? 'nothing in production' : `production: version ${r.production}`;
  if (p.weights && (p.state === 'running' || p.state === 'paused')) {
    lines.push(`${r.model}: ${p.state}, fixed split ${Object.entries(p.weights).map(([v, w]) => `v${v} ${w} %`).join(', ')}; ${prod}`);
  } else if (p.state === 'rolled_back' || p.state === 'completed') {
    const what = p.candidate !== null ? `version ${p.candidate}` : 'the split';
    lines.push(`${r.model}: ${p.state === 'completed' ? `completed, ${what} went to 100 %` : `rolled back ${what}, every device on production`}; ${prod}`);
  } else if (p.candidate !== null && p.state !== 'idle') {
    const stages = p.stages.map((s, i) => (i === p.stage && (p.state === 'running' || p.state === 'paused') ? `[${s}]` : String(s))).join(' → ');
    lines.push(`${r.model}: ${p.state}, version ${p.candidate} at ${r.percent} % (stages ${stages} %, ${p.stageMinutes} min each); ${prod}`);
    if (r.stageEndsAt !== null) lines.push(`  stage ${p.stage + 1} of ${p.stages.length} since ${time(p.stageStartedAt)}, may advance from ${time(r.stageEndsAt)}`);
  } else {
    lines.push(`${r.model}: ${p.state}; ${prod}`);
  }
  const g = p.guards;
  lines.push(`guards: error rate ≤ ${g.maxErrorRate}${g.maxLatencyP95Ms !== undefined ? `, p95 latency ≤ ${g.maxLatencyP95Ms} ms` : ''}, judged on ≥ ${g.minSamples} samples per stage`);
  for (const v of r.guards) {
    const m = v.metrics;
    lines.push(`  v${v.version} ${v.role}: ${m.samples} samples, ${m.errors} errors (rate ${num(m.errorRate)}), p95 ${num(m.p95LatencyMs, 1)} ms${v.verdict ? ` — ${v.verdict.status}: ${v.verdict.text}` : ''}`);
  }
  lines.push(`devices (last hour): ${r.mix.map((m) => `v${m.version} ${m.devices} device${m.devices === 1 ? '' : 's'} (${m.predictions} predictions)`).join(', ') || 'none'}`);
  if (p.rules.length > 0) lines.push('rules (first match wins):', ...p.rules.map((rule, i) => `  ${i + 1}. ${rule.name} → v${rule.version} when ${describeWhen(rule.when)}`));
  const pins = Object.entries(p.pins);
  if (pins.length > 0) lines.push(`pins: ${pins.map(([id, v]) => `${id} → v${v}`).join(', ')}`);
  if (r.next) lines.push(`next: ${r.next}`);
  for (const h of p.history.slice(-5)) lines.push(`  ${time(h.at)} ${h.actor}: ${h.action} ${h.detail}`);
  return lines.join('\n');
}

function describeWhen(w: Rule['when']): string {
  const parts = [
    w.platform && `platform ${w.platform.join('|')}`,
    w.appVersion && `app ${w.appVersion}`,
    w.locale && `locale ${w.locale.join('|')}`,
    w.webgpu !== undefined && `webgpu ${w.webgpu ? 'yes' : 'no'}`,
    ...Object.entries(w.attributes ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`),
  ].filter(Boolean);
  return parts.join(', ') || 'always';
}

const describeAssignment = (a: Assignment) => `version ${a.version} (${a.reason}${a.detail ? `: ${a.detail}` : ''}), bucket ${a.bucket}`;

/**
 * `outpost rollout <sub> …`: returns what to print (text, and the JSON for --json).
 * @example await rolloutCommand(hub, 'shop', { positionals: ['show', 'species'], values: {} })
 */
export async function rolloutCommand(hub: HubClient, project: string, args: RolloutArgs): Promise<{ data: unknown; text: string }> {
  const [sub, model, ...rest] = args.positionals;
  const v = args.values;
  const need = (what: string, value: string | undefined, example: string) => {
    if (!value) throw new RolloutUsageError(`rollout ${sub} needs ${what}: ${example}`);
    return value;
  };
  if (!sub) throw new RolloutUsageError('rollout needs a subcommand: show, start, pause, resume, advance, rollback, pin, unpin, rule, assign, evaluate');
  const shown = (r: RolloutView, headline: string) => ({ data: r, text: `${headline}\n${formatRollout(r)}` });

  switch (sub) {
    case 'show': {
      const r = await hub.getRollout(project, need('a model', model, 'outpost rollout show species'));
      return { data: r, text: formatRollout(r) };
    }
    case 'start': {
      const m = need('a model and a version', model, 'outpost rollout start species 4');
      const version = number('version', need('a version', rest[0], `outpost rollout start ${m} 4`), (n) => Number.isInteger(n) && n > 0)!;
      const stages = v.stages === undefined ? undefined : list(v.stages)!.map((s) => number('stages', s)!);
      const guards = {
        ...(v['max-error-rate'] !== undefined ? { maxErrorRate: number('max-error-rate', v['max-error-rate']) } : {}),
        ...(v['max-latency-p95'] !== undefined ? { maxLatencyP95Ms: number('max-latency-p95', v['max-latency-p95']) } : {}),
        ...(v['min-samples'] !== undefined ? { minSamples: number('min-samples', v['min-samples']) } : {}),
      };
      const r = await hub.rolloutAction(project, m, 'start', {
        version,
        ...(stages ? { stages } : {}),
        ...(v['stage-minutes'] !== undefined ? { stageMinutes: number('stage-minutes', v['stage-minutes']) } : {}),
        ...(Object.keys(guards).length > 0 ? { guards } : {}),
        ...(v.reason ? { reason: v.reason } : {}),
      });
      return shown(r, `started rolling out ${m} version ${version}`);
    }
    case 'pause':
    case 'resume':
    case 'advance': {
      const m = need('a model', model, `outpost rollout ${sub} species`);
      const r = await hub.rolloutAction(project, m, sub, v.reason ? { reason: v.reason } : {});
      return shown(r, `${sub === 'advance' ? 'advanced' : `${sub}d`} the rollout of ${m}`);
    }
    case 'rollback': {
      const m = need('a model', model, 'outpost rollout rollback species --reason "errors on Safari"');
      if (!v.reason) throw new RolloutUsageError('rollout rollback needs --reason (it goes into the audit log)');
      return shown(await hub.rolloutAction(project, m, 'rollback', { reason: v.reason }), `rolled back ${m}: every device is on production`);
    }
    case 'evaluate': {
      const m = need('a model', model, 'outpost rollout evaluate species');
      const r = await hub.evaluateRollout(project, m);
      return { data: r, text: `${r.event ? `${r.event.action}: ${r.event.reason}` : r.waiting}\n${formatRollout(r.rollout)}` };
    }
    case 'pin': {
      const m = need('a model, an install id and a version', model, 'outpost rollout pin species qa-phone-0001 4');
      const installId = need('an install id and a version', rest[0], `outpost rollout pin ${m} qa-phone-0001 4`);
      const version = number('version', need('a version', rest[1], `outpost rollout pin ${m} ${installId} 4`), (n) => Number.isInteger(n) && n > 0)!;
      return shown(await hub.pinRollout(project, m, installId, version, v.reason), `pinned ${installId} to ${m} version ${version}`);
    }
    case 'unpin': {
      const m = need('a model and an install id', model, 'outpost rollout unpin species qa-phone-0001');
      const installId = need('an install id', rest[0], `outpost rollout unpin ${m} qa-phone-0001`);
      return shown(await hub.unpinRollout(project, m, installId), `unpinned ${installId}`);
    }
    case 'rule': {
      // rollout rule add|rm <model> …
      const action = model;
      const m = rest[0];
      if (action !== 'add' && action !== 'rm') throw new RolloutUsageError('rollout rule takes add or rm: outpost rollout rule add species --name beta --version 4 --locale de');
      if (!m) throw new RolloutUsageError(`rollout rule ${action} needs a model`);
      const current = await hub.getRollout(project, m);
      const rules = [...current.policy.rules];
      if (action === 'rm') {
        const name = rest[1] ?? v.name;
        if (!name) throw new RolloutUsageError(`rollout rule rm needs the rule's name: outpost rollout rule rm ${m} beta`);
        const i = rules.findIndex((r) => r.name === name);
        if (i < 0) throw new RolloutUsageError(`${m} has no rule named "${name}"; rules: ${rules.map((r) => r.name).join(', ') || 'none'}`);
        rules.splice(i, 1);
      } else {
        const name = v.name ?? '';
        if (!name) throw new RolloutUsageError('rollout rule add needs --name');
        const version = number('version', v.version ?? '', (n) => Number.isInteger(n) && n > 0)!;
        const when = {
          ...(v.platform ? { platform: list(v.platform) } : {}),
          ...(v['app-version'] ? { appVersion: v['app-version'] } : {}),
          ...(v.locale ? { locale: list(v.locale) } : {}),
          ...(v.webgpu !== undefined ? { webgpu: yesNo(v.webgpu) } : {}),
          ...(v.attr ? { attributes: attributes(v.attr, true) } : {}),
        };
        const rule = { name, version, when } as Rule;
        const i = rules.findIndex((r) => r.name === name);
        if (i >= 0) rules[i] = rule;
        else rules.push(rule);
      }
      const r = await hub.putRollout(project, m, { ...current.policy, rules });
      return shown(r, action === 'add' ? `rule ${v.name} set` : `rule ${rest[1] ?? v.name} removed`);
    }
    case 'assign': {
      const m = need('a model', model, 'outpost rollout assign species --install-id a1b2c3d4e5');
      const query = new URLSearchParams();
      query.set('installId', need('--install-id', v['install-id'], `outpost rollout assign ${m} --install-id a1b2c3d4e5`));
      if (v.platform) query.set('platform', v.platform);
      if (v['app-version']) query.set('appVersion', v['app-version']);
      if (v.locale) query.set('locale', v.locale);
      if (v.webgpu !== undefined) query.set('webgpu', yesNo(v.webgpu) ? '1' : '0');
      for (const [k, value] of Object.entries(attributes(v.attr, false) ?? {})) query.set(`attr.${k}`, String(value));
      const r = await hub.previewAssignment(project, m, query.toString());
      return { data: r, text: `${m} for ${v['install-id']}: ${describeAssignment(r.assignment)}` };
    }
    default:
      throw new RolloutUsageError(`unknown rollout subcommand "${sub}"; run outpost --help`);
  }
}
