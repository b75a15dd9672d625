/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

const css = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#cfe0ff;text-decoration:none}header strong{font-size:1.1rem}
main{padding:1rem 1.5rem;max-width:1100px}
table{border-collapse:collapse;background:#fff;margin:.5rem 0 1.5rem;width:100%}
th,td{border-bottom:1px solid #e3e6ea;padding:.35rem .6rem;text-align:left;font-variant-numeric:tabular-nums}
th{background:#eef1f5;font-weight:600}code{font-size:.85em}
.pub{background:#dff5e3;color:#17612a;border-radius:4px;padding:0 .4rem;font-size:.8rem}
.muted{color:#6b7280}.err{color:#b42318}
.fail{background:#fde2e1;color:#b42318;border-radius:4px;padding:0 .4rem;font-size:.8rem}tr.failed{background:#fff5f5}
tr.added{background:#f0fdf4}tr.removed{background:#fef2f2}tr.changed{background:#fffbeb}del{color:#b42318}
form.classes{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}form.classes button{font-size:1rem;padding:.5rem 1rem}kbd{background:#eef1f5;border:1px solid #cbd5e1;border-radius:3px;padding:0 .3rem;font-size:.8rem}
table.values{width:auto;min-width:360px}table.confusion td.diag{background:#dff5e3}table.confusion td.off{background:#fde2e1}table.per-class,table.confusion,table.calibration,table.slices{width:auto}ins{color:#17612a;text-decoration:none}
form.login{background:#fff;padding:1.5rem;max-width:420px;border:1px solid #e3e6ea}
input[type=password]{width:100%;padding:.4rem;margin:.5rem 0}button{padding:.4rem 1rem}
.endpoint{background:#fff;border:1px solid #e3e6ea;padding:.5rem 1rem;margin:.5rem 0}
.method{font-weight:700;display:inline-block;min-width:3.5rem}
.columns{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:1rem}
.column{background:#fff;border:1px solid #e3e6ea;padding:.6rem 1rem}.column h3{margin:.2rem 0}
.missing{display:flex;height:6px;background:#d1fae5;border-radius:3px;overflow:hidden}
table.stats td,table.stats th{padding:.15rem .3rem;font-size:.85rem}
table.top td.bar{width:55%}table.top td.bar div{background:#93c5fd;height:.7rem;border-radius:2px}
nav.actions{display:flex;gap:.4rem;flex-wrap:wrap;margin:.5rem 0 1rem}nav.actions a{background:#fff;border:1px solid #cbd5e1;border-radius:4px;padding:.2rem .7rem;text-decoration:none}
form.op{background:#fff;border:1px solid #e3e6ea;padding:.8rem 1rem;max-width:760px;margin-bottom:1rem}form.op.inline{display:flex;gap:1rem;align-items:end;flex-wrap:wrap}
label.field{display:block;margin:.4rem 0}label.field input,label.field select{display:block;padding:.3rem;min-width:16rem}
label.field textarea{display:block;width:100%;font:13px/1.4 ui-monospace,monospace;padding:.4rem;box-sizing:border-box}
[aria-invalid=true]{border:2px solid #b42318;background:#fff5f5}fieldset{border:1px solid #e3e6ea;margin:.5rem 0}
.problem{background:#fff5f5;border:1px solid #fca5a5;padding:.3rem 1rem;margin:.5rem 0;max-width:760px}
table.corr td{text-align:center}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .2rem 0 .8rem}
`;

/**
 * A script that replaces the element #live with the same part of a fresh copy of the page every
 * `seconds` (forms outside #live keep what was typed): live pages without a client framework.
 * `keepQuery`: fetch the page with its query string (its window, its version), not just its path.
 */
export function liveRefreshScript(seconds: number, keepQuery = false): string {
  return `setInterval(async () => {
  try {
    const res = await fetch(${keepQuery ? 'location.href' : 'location.pathname'}, { credentials: 'same-origin' });
    if (!res.ok) return;
    const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('live');
    const live = document.getElementById('live');
    if (fresh && live) live.replaceWith(fresh);
  } catch {}
}, ${seconds * 1000});`;
}

export function Layout(props: { title: string; children: Child; nav?: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Outpost</title>
        <style>{css}</style>
      </head>
      <body>
        <header>
          <strong>Outpost</strong>
          {props.nav !== false && (
            <>
              <a href="/console">Overview</a>
              <a href="/console/signing-keys">Signing keys</a>
              <a href="/console/api">API reference</a>
              <form method="post" action="/console/logout" style="margin-left:auto">
                <button type="submit">Log out</button>
              </form>
            </>
          )}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
