/**
 * The fetch the SDK calls; injected so tests (and apps with their own networking) can supply one.
 * @example const fetch: FetchLike = (url, init) => globalThis.fetch(url, { ...init, credentials: 'omit' });
 */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Where and as whom the SDK talks to the hub. */
export interface HubEndpoint {
  hubUrl: string;
  projectKey: string;
  fetch: FetchLike;
}

export function hubRequest(hub: HubEndpoint, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${hub.projectKey}`);
  return hub.fetch(`${hub.hubUrl.replace(/\/+$/, '')}${path}`, { ...init, headers });
}

/** "HTTP 413 PAYLOAD_TOO_LARGE: …" from a hub error body, or the bare status when it has none. */
export async function describeFailure(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let detail = '';
  try {
    // A chunk of its own (import()), as the other response checks: the core stays small.
    const { checkErrorBody } = await import('@outpost/shared/wire-check');
    const body = checkErrorBody(JSON.parse(text));
    if (body.ok) detail = ` ${body.value.error.code}: ${body.value.error.message}`;
  } catch {
    // Not JSON (a proxy's HTML page, say), or the check's chunk not fetched (offline): the status says enough.
  }
  return `HTTP ${response.status}${detail}`;
}
