import type { AuditEntryView } from '../registry/wire.ts';
import { describeAudit } from '../registry/audit-text.ts';
import { headline } from '../training/headline.ts';
import type { HubClient } from './client.ts';

/** What main.ts hands the registry commands: the client, the parsed options and its printers. */
export interface RegistryCommandContext {
  hub: HubClient;
  values: { reason?: string | undefined; limit?: string | undefined; model?: string | undefined };
  /** Text, or the data as JSON with --json. */
  print: (data: unknown, text: string) => void;
  needProject: () => string;
  /** A usage error (exit 2) with this message. */
  usage: (message: string) => Error;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

function versionArg(text: string | undefined, ctx: RegistryCommandContext, usage: string): number {
  if (!text || !/^\d+$/.test(text) || Number(text) < 1) throw ctx.usage(`${usage} (the version is a whole number ≥ 1${text ? `, not "${text}"` : ''})`);
  return Number(text);
}

function formatAudit(entries: AuditEntryView[]): string {
  if (entries.length === 0) return 'no changes recorded';
  return entries.map((e) => `${iso(e.createdAt)}  ${e.actor}  ${describeAudit(e)}${e.reason ? `  — ${e.reason}` : ''}`).join('\n');
}

/**
 * `models show|alias|min-version`, `keys [create|activate]` and `audit`, as main.ts dispatches
 * them (`command` is "models alias", "keys", …; `rest` the words after it). Returns the exit code.
 */
export async function runRegistryCommand(command: string, rest: string[], ctx: RegistryCommandContext): Promise<number> {
  const { hub, values, print } = ctx;
  switch (command) {
    case 'models show': {
      if (!rest[0]) throw ctx.usage('models show needs a model name');
      const m = await hub.getModel(ctx.needProject(), rest[0]);
      const names = (version: number) => m.aliases.filter((a) => a.version === version).map((a) => a.alias);
      const lines = m.versions.map((v) => {
        const tags = [...(m.published === v.version ? ['published'] : []), ...names(v.version).filter((a) => a !== 'production'), ...(v.version < m.minVersion ? ['below minimum'] : [])];
        const score = headline(v.metrics);
        const scoreText = score.key === 'validationRmse' ? `rmse ${score.text.slice('RMSE '.length)}` : `acc ${score.value?.toFixed(3) ?? '-'}`;
        return `v${v.version}${tags.length ? ` (${tags.join(', ')})` : ''}\t${iso(v.createdAt)}\t${scoreText}\t${v.predictions} predictions\t${v.artifact.sha256.slice(0, 12)}`;
      });
      const aliases = m.aliases.map((a) => `  ${a.alias} → v${a.version}\t${iso(a.updatedAt)} by ${a.updatedBy}`);
      print(m, [`model ${m.name}`, `minimum version: ${m.minVersion}`, `aliases:${aliases.length ? '' : ' none (publish a version to set production)'}`, ...aliases, ...lines].join('\n'));
      return 0;
    }
    case 'models alias': {
      const [action, model, alias, version] = rest;
      if (action === 'set') {
        const usage = 'usage: outpost models alias set <model> <alias> <version> [--reason R]';
        if (!model || !alias) throw ctx.usage(usage);
        const r = await hub.setAlias(ctx.needProject(), model, alias, versionArg(version, ctx, usage), values.reason);
        print(r, `${model} ${r.alias} → version ${r.version}${r.alias === 'production' ? ' (devices get it; manifests re-signed)' : ''}`);
        return 0;
      }
      if (action === 'rm') {
        if (!model || !alias || version !== undefined) throw ctx.usage('usage: outpost models alias rm <model> <alias> [--reason R]');
        const r = await hub.removeAlias(ctx.needProject(), model, alias, values.reason);
        print(r, `${model} alias ${r.alias} removed (it pointed to version ${r.version})`);
        return 0;
      }
      throw ctx.usage('usage: outpost models alias set <model> <alias> <version> | outpost models alias rm <model> <alias> [--reason R]');
    }
    case 'models min-version': {
      const usage = 'usage: outpost models min-version <model> <version> [--reason R]';
      const [model, version] = rest;
      if (!model) throw ctx.usage(usage);
      const r = await hub.setMinVersion(ctx.needProject(), model, versionArg(version, ctx, usage), values.reason);
      print(r, `${model} minimum version ${r.minVersion}: devices refuse anything older (manifests re-signed)`);
      return 0;
    }
    case 'keys': {
      if (rest.length > 0) throw ctx.usage('usage: outpost keys | outpost keys create | outpost keys activate <keyId> [--reason R]');
      const r = await hub.signingKeys();
      // JSON either way: apps paste the active and next keys into trustedKeys.
      print(r, JSON.stringify(r.keys, null, 2));
      return 0;
    }
    case 'keys create': {
      const k = await hub.createSigningKey(values.reason);
      print(k, [`signing key ${k.keyId} created (${k.status}): it signs nothing yet.`, `Add it to your apps' trustedKeys: { "keyId": "${k.keyId}", "publicKey": "${k.publicKey}" }`, `then, once they have shipped: outpost keys activate ${k.keyId}`].join('\n'));
      return 0;
    }
    case 'keys activate': {
      if (!rest[0] || rest.length > 1) throw ctx.usage('usage: outpost keys activate <keyId> [--reason R] (key ids: outpost keys)');
      const r = await hub.activateSigningKey(rest[0], values.reason);
      print(r, `signing key ${r.active.keyId} is active; ${r.retired.keyId} is retired. Manifests are re-signed with the new key on their next request.`);
      return 0;
    }
    case 'audit': {
      if (rest.length > 0) throw ctx.usage('usage: outpost audit [--model M] [--limit N]');
      let limit: number | undefined;
      if (values.limit !== undefined) {
        limit = Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw ctx.usage(`--limit must be a whole number from 1 to 500, not "${values.limit}"`);
      }
      const r = await hub.audit(ctx.needProject(), { model: values.model, limit });
      print(r, formatAudit(r.entries));
      return 0;
    }
    default:
      throw ctx.usage(`unknown command "${command}"; run outpost --help`);
  }
}
