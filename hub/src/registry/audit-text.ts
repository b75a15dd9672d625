import type { AuditEntryView } from './wire.ts';

/** `alias.set penguins staging: v1 → v2`, `key.activate 3f2a… → 9bc1…`: an entry's detail in a few words. */
export function describeAudit(e: AuditEntryView): string {
  const d = e.detail;
  const v = (x: unknown) => (x === null || x === undefined ? '-' : typeof x === 'number' ? `v${x}` : String(x));
  const what = typeof d.alias === 'string' ? `${d.alias}: ` : '';
  const change = 'from' in d || 'to' in d ? `${v(d.from)} → ${v(d.to)}` : typeof d.keyId === 'string' ? `${d.keyId}${d.status ? ` (${String(d.status)})` : ''}` : JSON.stringify(d);
  return `${e.action}${e.model ? ` ${e.model}` : e.project === '*' ? ' (hub)' : ''} ${what}${change}`;
}
