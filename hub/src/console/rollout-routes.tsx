/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The console's rollout page: watch a model's rollout (refreshed in place every few seconds) and
 * change it: start, pause, resume, advance, roll back, guards, rules, pins. Each POST parses the
 * form with the API's schemas and calls the same service as the API (rollout/service.ts), the
 * session's person as actor. Mounted behind the console session (SameSite=Strict cookie).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { DeviceContextSchema, OutpostError, type ErrorIssue } from '@outpost/shared';
import type { AdminEnv } from '../auth/middleware.ts';
import type { HubDeps } from '../deps.ts';
import { statusOf } from '../http/errors.ts';
import { createRegistryStore } from '../registry/store.ts';
import { GuardsSchema, PolicyInputSchema, RuleSchema, type RolloutPolicy } from '../rollout/policy.ts';
import { createRolloutService } from '../rollout/service.ts';
import { StartRequestSchema } from '../rollout/routes.ts';
import { EMPTY_FORM, formBodyLimit, numeric, optional, parseForm, problemOf, readForm, required, type FormValues } from './forms.tsx';
import { Layout } from './layout.tsx';
import { RolloutPage, rolloutUrl, type RolloutForms } from './rollout-page.tsx';

const NO_FORMS: RolloutForms = { start: EMPTY_FORM, action: EMPTY_FORM, guards: EMPTY_FORM, rule: EMPTY_FORM, pin: EMPTY_FORM };
const ACTIONS = ['pause', 'resume', 'advance', 'rollback', 'evaluate'] as const;
const PinForm = z.object({ installId: DeviceContextSchema.shape.installId, version: z.number().int().positive() });

/** "a, b" → ['a', 'b']; blank → undefined. */
const listOf = (text: string | undefined) => (optional(text) === undefined ? undefined : text!.split(',').map((s) => s.trim()).filter(Boolean));

/** "plan=pro|team, cohort=a" → { plan: ['pro', 'team'], cohort: 'a' }. */
function attributesOf(text: string | undefined): Record<string, string | string[]> | undefined {
  const parts = listOf(text);
  if (!parts) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new OutpostError('VALIDATION_FAILED', `attributes: write key=value, got "${part}"`, { issues: [{ path: 'attributes', message: 'write key=value[|value…], separated by commas' }] });
    const values = part.slice(eq + 1).split('|').map((s) => s.trim());
    out[part.slice(0, eq).trim()] = values.length > 1 ? values : values[0]!;
  }
  return out;
}

/** Issue paths of the schema (`when.appVersion`, `rules.3.version`) as the page's field names (`appVersion`, `version`). */
function asFields(e: unknown, map: (path: string) => string): never {
  if (!(e instanceof OutpostError)) throw e;
  const issues: ErrorIssue[] = (e.issues ?? []).map((i) => (i.path === undefined ? i : { ...i, path: map(i.path) }));
  throw new OutpostError(e.code, e.message, { issues });
}

export function createRolloutPages(deps: HubDeps) {
  const service = createRolloutService(deps);
  const registry = createRegistryStore(deps.db);
  const app = new Hono<AdminEnv>();
  const limit = formBodyLimit(deps);
  const PAGE = '/projects/:project/models/:model/rollout';

  async function render(c: Context<AdminEnv>, project: string, model: string, forms: RolloutForms, status: 200 | 400 | 404 | 409 | 413 | 422 = 200) {
    const modelId = await registry.modelId(project, model);
    if (modelId === undefined) return c.html(<Layout title="Not found"><p class="err">No model {model} in project {project}.</p></Layout>, 404);
    const [r, versions] = await Promise.all([service.view({ project, model }), registry.listVersions(modelId)]);
    return c.html(
      <Layout title={`${model} · rollout`}>
        <RolloutPage project={project} model={model} r={r} versions={versions.map((v) => v.version).sort((a, b) => a - b)} forms={forms} />
      </Layout>,
      status,
    );
  }

  /** A form of the page: run `act`, then back to the page (303); on an OutpostError, the page with the problem above that form, input kept. */
  function form(path: string, which: keyof RolloutForms, act: (ref: { project: string; model: string }, values: FormValues, actor: string) => Promise<unknown>) {
    app.post(`${PAGE}${path}`, limit, async (c) => {
      const { project, model } = c.req.param() as { project: string; model: string };
      if ((await registry.modelId(project, model)) === undefined) return render(c, project, model, NO_FORMS);
      const values = await readForm(c);
      try {
        await act({ project, model }, values, c.get('actor'));
        return c.redirect(rolloutUrl(project, model), 303);
      } catch (e) {
        const { problem, error } = problemOf(e);
        return render(c, project, model, { ...NO_FORMS, [which]: { values, problem } }, statusOf(error.code) as 400);
      }
    });
  }
  /** The stored policy with a change, through the same validation as PUT …/rollout. */
  const replace = async (ref: { project: string; model: string }, actor: string, change: (p: RolloutPolicy) => Partial<RolloutPolicy>) => {
    const { policy } = await service.view(ref);
    const input = PolicyInputSchema.parse({ ...policy, ...change(policy) });
    return service.replace(ref, input, actor);
  };

  app.get(PAGE, async (c) => {
    const { project, model } = c.req.param();
    return render(c, project, model, NO_FORMS);
  });

  form('/start', 'start', async (ref, v, actor) => {
    const stages = listOf(v.stages)?.map(Number);
    const req = parseForm(StartRequestSchema, { version: numeric(v.version), stages, stageMinutes: numeric(v.stageMinutes), reason: optional(v.reason) });
    await service.start(ref, req, actor);
  });

  form('/action', 'action', async (ref, v, actor) => {
    const action = ACTIONS.find((a) => a === v.action);
    if (!action) throw new OutpostError('VALIDATION_FAILED', `unknown action "${v.action}"`, { issues: [{ path: 'action', message: `one of ${ACTIONS.join(', ')}` }] });
    const reason = optional(v.reason);
    if (action === 'rollback') await service.rollback(ref, required(reason, 'reason', 'say why you roll back (kept in the audit log)'), actor);
    else if (action === 'evaluate') await service.evaluate(ref);
    else await service[action](ref, reason, actor);
  });

  form('/guards', 'guards', async (ref, v, actor) => {
    const guards = parseForm(GuardsSchema, { maxErrorRate: numeric(v.maxErrorRate), maxLatencyP95Ms: numeric(v.maxLatencyP95Ms), minSamples: numeric(v.minSamples) });
    await replace(ref, actor, () => ({ guards }));
  });

  form('/rules', 'rule', async (ref, v, actor) => {
    const webgpu = optional(v.webgpu) === undefined ? undefined : v.webgpu === 'yes';
    let rule;
    try {
      rule = parseForm(RuleSchema, {
        name: optional(v.name) ?? '',
        version: numeric(v.version),
        when: { platform: listOf(v.platform), appVersion: optional(v.appVersion), locale: listOf(v.locale), webgpu, attributes: attributesOf(v.attributes) },
      });
    } catch (e) {
      asFields(e, (p) => (p.startsWith('when.') ? p.split('.')[1]! : p));
    }
    try {
      await replace(ref, actor, (p) => ({ rules: [...p.rules.filter((r) => r.name !== rule!.name), rule!] }));
    } catch (e) {
      asFields(e, (p) => (/^rules\.\d+\.version$/.test(p) ? 'version' : p));
    }
  });
  form('/rules/remove', 'rule', async (ref, v, actor) => {
    await replace(ref, actor, (p) => ({ rules: p.rules.filter((r) => r.name !== v.name) }));
  });

  form('/pins', 'pin', async (ref, v, actor) => {
    const pin = parseForm(PinForm, { installId: optional(v.installId) ?? '', version: numeric(v.version) });
    await service.pin(ref, pin.installId, pin.version, undefined, actor);
  });
  form('/pins/remove', 'pin', async (ref, v, actor) => {
    await service.unpin(ref, v.installId ?? '', undefined, actor);
  });
  return app;
}
