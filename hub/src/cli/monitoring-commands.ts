import type { DriftWindowReport } from '../monitoring/drift-service.ts';
import type { HubClient } from './client.ts';
import { describeDelivery } from '../monitoring/alerting/delivery-text.ts';

/** What `outpost drift …` and `outpost alert …` read from the command line (main.ts parses it). */
export interface MonitoringArgs {
  positionals: string[];
  values: {
    version?: string | undefined;
    window?: string | undefined;
    correction?: string | undefined;
    name?: string | undefined;
    metric?: string | undefined;
    column?: string | undefined;
    when?: string | undefined;
    for?: string | undefined;
    webhook?: string | undefined;
    retrain?: boolean | undefined;
    'guard-rollout'?: boolean | undefined;
    limit?: string | undefined;
  };
}

export const MONITORING_HELP = `  drift <model> [--version V] [--window 1h|24h|7d|30m…] [--correction none|bonferroni|bh]
                                            drift of the version's live inputs and outputs against its reference:
                                            test, statistic, p-values, PSI and verdict per column
  alert create <model> --name N --metric M --when "> 0.3" [--column C] [--version V] [--for 10m] [--window 1h]
        [--webhook URL] [--retrain] [--guard-rollout]
                                            an alert rule (metrics: drift_share, feature_drift, feature_psi,
                                            missing_rate, error_rate, latency_p95_ms, predictions, accuracy,
                                            mae); prints the webhook signing secret once
  alert list <model>                        rules, their state and last value
  alert enable|disable <model> <name>       switch a rule on or off (off: it starts again from ok)
  alert rm <model> <name>                   (or delete) the rule and its history; its retraining triggers stay
  alert evaluate <model>                    evaluate the rules now (the hub also does it every minute)
  alert events <model> [--limit N]          firings and resolutions, newest first, with webhook delivery
  alert triggers <model> [--limit N]        retraining triggers recorded by firing rules, newest first`;

const ALERT_SUBCOMMANDS = 'create, list, enable, disable, rm (delete), evaluate, events or triggers';

/** --limit, default 20. */
function limitOf(text: string | undefined): number {
  const limit = text === undefined ? 20 : Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new MonitoringUsageError(`--limit must be a whole number from 1 to 500, got "${text}"`);
  return limit;
}

/** A command-line mistake: main.ts prints it and exits 2. */
export class MonitoringUsageError extends Error {}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "10m", "1h", "7d" → ms. */
export function duration(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!m) throw new MonitoringUsageError(`--${name} takes a duration such as 90s, 10m, 1h or 7d, got "${text}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '–' : x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(digits));

/** The drift report as people read it. */
export function formatDrift(r: DriftWindowReport): string {
  const head = `${r.model} v${r.version}, ${r.records} records from ${new Date(r.from).toISOString()} to ${new Date(r.to).toISOString()}${r.truncated ? ' (the oldest of a longer window)' : ''}`;
  const dataset = r.dataset.drifted === null ? 'not enough data to judge yet' : `${r.dataset.drifted ? 'DATASET DRIFT' : 'no dataset drift'}: ${r.dataset.driftedColumns} of ${r.dataset.tested} columns drifted`;
  const rows = [['column', 'test', 'statistic', 'p', 'p (BH)', 'PSI', 'verdict'], ...r.columns.map((c) => [c.column, c.test ?? '–', num(c.statistic), num(c.pValue), num(c.pValueBH), num(c.psi), c.verdict])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return [head, dataset, '', ...rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd())].join('\n');
}

export async function monitoringCommand(hub: HubClient, project: string, command: 'drift' | 'alert', args: MonitoringArgs): Promise<{ data: unknown; text: string }> {
  const v = args.values;
  if (command === 'drift') {
    const [model] = args.positionals;
    if (!model) throw new MonitoringUsageError('drift needs a model: outpost drift penguins');
    const window = duration('window', v.window ?? '24h')!;
    if (v.correction !== undefined && !['none', 'bonferroni', 'bh'].includes(v.correction)) throw new MonitoringUsageError(`--correction takes none, bonferroni or bh, got "${v.correction}"`);
    const to = Date.now();
    const r = await hub.drift(project, model, { from: to - window, to, ...(v.version ? { version: v.version } : {}), ...(v.correction ? { correction: v.correction } : {}) });
    return { data: r, text: formatDrift(r) };
  }
  const [sub, model, ...rest] = args.positionals;
  if (!sub) throw new MonitoringUsageError(`alert needs a subcommand: ${ALERT_SUBCOMMANDS}`);
  if (!model) throw new MonitoringUsageError(`alert ${sub} needs a model: outpost alert ${sub} penguins`);
  switch (sub) {
    case 'create': {
      if (!v.name || !v.metric || !v.when) throw new MonitoringUsageError('alert create needs --name, --metric and --when: outpost alert create penguins --name drift --metric drift_share --when "> 0.3"');
      const when = /^\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/.exec(v.when);
      if (!when) throw new MonitoringUsageError(`--when takes a comparison such as "> 0.3" or "<= 0.9", got "${v.when}"`);
      const params = { ...(v.column ? { column: v.column } : {}), ...(v.version ? { version: Number(v.version) } : {}) };
      const forMs = duration('for', v.for);
      const windowMs = duration('window', v.window);
      const r = await hub.createAlertRule(project, model, {
        name: v.name,
        metric: v.metric,
        params,
        comparator: when[1]!,
        threshold: Number(when[2]),
        ...(forMs !== undefined ? { forMs } : {}),
        ...(windowMs !== undefined ? { windowMs } : {}),
        ...(v.webhook ? { webhookUrl: v.webhook } : {}),
        retrain: v.retrain ?? false,
        guardRollout: v['guard-rollout'] ?? false,
      });
      return { data: r, text: `created alert rule ${v.name} on ${model}${r.webhookSecret ? `\nwebhook signing secret (shown once, keep it): ${r.webhookSecret}` : ''}` };
    }
    case 'list': {
      const { rules } = await hub.alertRules(project, model);
      const text = rules.length === 0 ? `no alert rules on ${model}` : rules.map((r) => `${r.name.padEnd(16)} ${r.state.padEnd(8)} ${r.metric}${Object.keys(r.params).length ? ` ${JSON.stringify(r.params)}` : ''} ${r.comparator} ${r.threshold} (last ${num(r.lastValue)})${r.enabled ? '' : ' disabled'}`).join('\n');
      return { data: { rules }, text };
    }
    case 'enable':
    case 'disable': {
      const name = rest[0];
      if (!name) throw new MonitoringUsageError(`alert ${sub} needs a rule name: outpost alert ${sub} ${model} drift`);
      const rule = await hub.updateAlertRule(project, model, name, { enabled: sub === 'enable' });
      return { data: rule, text: `alert rule ${name} ${sub}d (state ${rule.state})` };
    }
    case 'rm':
    case 'delete': {
      const name = rest[0];
      if (!name) throw new MonitoringUsageError(`alert ${sub} needs a rule name: outpost alert ${sub} ${model} drift`);
      await hub.deleteAlertRule(project, model, name);
      return { data: { deleted: name }, text: `deleted alert rule ${name}` };
    }
    case 'evaluate': {
      const r = await hub.evaluateAlerts(project, model);
      return { data: r, text: r.rules.map((x) => `${x.name.padEnd(16)} ${x.state.padEnd(8)} value ${num(x.value)}${x.event ? `  → ${x.event}` : ''}${x.error ? `  (${x.error})` : ''}`).join('\n') || `no enabled rules on ${model}` };
    }
    case 'events': {
      const r = await hub.alertEvents(project, model, limitOf(v.limit));
      return { data: r, text: r.events.map((e) => `${new Date(e.createdAt).toISOString().slice(0, 19)}  ${e.rule.padEnd(16)} ${e.kind.padEnd(9)} value ${num(e.value)}  webhook ${describeDelivery(e, (ms) => new Date(ms).toISOString().slice(0, 19))}`).join('\n') || 'nothing has fired' };
    }
    case 'triggers': {
      const r = await hub.retrainTriggers(project, model, limitOf(v.limit));
      return { data: r, text: r.triggers.map((t) => `${new Date(t.createdAt).toISOString().slice(0, 19)}  #${t.id} ${t.status}  ${t.reason}`).join('\n') || 'no retraining triggers' };
    }
    default:
      throw new MonitoringUsageError(`unknown alert subcommand "${sub}": use ${ALERT_SUBCOMMANDS}`);
  }
}
