// Signed webhooks, as Stripe signs them: `Outpost-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
// of "<t>.<body>">`, keyed with the rule's secret. WebCrypto only, so it runs on Workers too.

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The signature header for `body` sent at `unixSeconds`. */
export async function signWebhook(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

/**
 * What a receiver runs: true when `header` signs `body` with `secret` and its time is within
 * `toleranceS` of `nowS` (a replayed old delivery fails). Compares in constant time.
 * @example await verifyWebhookSignature(secret, req.headers.get('outpost-signature'), await req.text())
 */
export async function verifyWebhookSignature(secret: string, header: string | null, body: string, toleranceS = 300, nowS = Math.floor(Date.now() / 1000)): Promise<boolean> {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowS - t) > toleranceS) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (expected.length !== parts.v1.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ parts.v1.charCodeAt(i);
  return diff === 0;
}

export interface Delivery {
  delivery: 'sent' | 'failed';
  detail: string;
}

/**
 * POST `body` (JSON) to `url`, signed at `nowMs`; 5 s timeout, one retry on a network error or a
 * 5xx. Never throws: the outcome is what the alert's event records.
 */
export async function deliverWebhook(url: string, secret: string, body: string, id: string, nowMs: number, fetcher: typeof fetch = fetch): Promise<Delivery> {
  let last = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const res = await fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'outpost-signature': await signWebhook(secret, body, Math.floor(nowMs / 1000)), 'outpost-delivery': id },
        body,
        signal: AbortSignal.timeout(5_000),
        redirect: 'manual',
      });
      // Only the status matters; an unread body would hold the connection open (undici) until collected.
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { delivery: 'sent', detail: `HTTP ${res.status}` };
      last = `HTTP ${res.status}`;
      if (res.status < 500) break;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
  }
  return { delivery: 'failed', detail: last };
}
