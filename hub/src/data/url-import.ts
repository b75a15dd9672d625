/**
 * Fetching a dataset file from a URL into the blob store, for the hub's import route. What a
 * server that fetches on a user's behalf must refuse: other schemes than http(s), addresses on the
 * hub's own machine or private network (unless the operator allows them: a hub that imports from
 * an intranet), redirects that lead there, and files over the upload limit.
 */
import { OutpostError } from '@outpost/shared';
import type { BlobStore } from '../blobs/blob-store.ts';
import { formatFromContentType, formatFromFileName, type DatasetFormat } from './formats/index.ts';

export interface ImportOptions {
  maxBytes: number;
  /** Allow loopback, private, link-local and unique-local addresses. Default false. */
  allowPrivate: boolean;
  /** Give up after this long, ms. */
  timeoutMs?: number;
}

const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

const badUrl = (message: string) => new OutpostError('VALIDATION_FAILED', message, { issues: [{ path: 'url', message }] });

/**
 * Fetch `url` and store its body, hashing as it streams. The format is `format`, else the
 * response's Content-Type, else the URL's file extension. Every problem is a 400 naming `url` (or a
 * 413 when the file is over the limit); nothing is stored then.
 */
export async function importFromUrl(blobs: BlobStore, url: string, format: DatasetFormat | undefined, options: ImportOptions): Promise<{ blob: { sha256: string; size: number }; format: DatasetFormat; url: string }> {
  let target = checkUrl(url, options.allowPrivate);
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let response: Response;
  for (let hop = 0; ; hop++) {
    try {
      response = await fetch(target, { redirect: 'manual', signal, headers: { accept: '*/*' } });
    } catch (e) {
      throw badUrl(`could not fetch ${target.href}: ${(e as Error).message}`);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) break;
    await response.body?.cancel();
    if (hop === MAX_REDIRECTS) throw badUrl(`more than ${MAX_REDIRECTS} redirects from ${url}`);
    // Each hop is checked again: a public address must not redirect the hub into its own network.
    target = checkUrl(new URL(location, target).href, options.allowPrivate);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw badUrl(`${target.href} answered ${response.status} ${response.statusText}`.trim());
  }
  const chosen = format ?? formatFromContentType(response.headers.get('content-type') ?? undefined) ?? formatFromFileName(target.pathname);
  if (!chosen) {
    await response.body?.cancel();
    throw new OutpostError('VALIDATION_FAILED', `cannot tell the format of ${target.href} from its Content-Type or name; say it with format`, { issues: [{ path: 'format', message: 'required for this URL' }] });
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new OutpostError('PAYLOAD_TOO_LARGE', `${target.href} is ${declared} bytes; imports are limited to ${options.maxBytes} bytes`);
  }
  if (!response.body) throw badUrl(`${target.href} sent no body`);
  try {
    return { blob: await blobs.putStream(response.body, options.maxBytes), format: chosen, url: target.href };
  } catch (e) {
    if (e instanceof OutpostError) throw e;
    throw badUrl(`reading ${target.href} failed: ${(e as Error).message}`);
  }
}

/** An http(s) URL the hub may fetch; throws a 400 naming `url` otherwise. */
export function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badUrl(`${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUrl(`only http and https URLs can be imported, not ${url.protocol}`);
  if (url.username || url.password) throw badUrl('put no credentials in the URL');
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    throw badUrl(`${url.hostname} is on this machine or a private network; the hub imports from there only when its operator allows it (OUTPOST_ALLOW_PRIVATE_IMPORTS=1)`);
  }
  return url;
}

/**
 * Is `hostname` (as URL parses it: IPv6 in brackets) a name or literal address of this machine or
 * a private network? Names other than localhost are not resolved here: a public name that resolves
 * to a private address is not caught (run the hub behind an egress policy for that).
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.startsWith('[')) return isPrivateIpv6(host.slice(1, -1));
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  return v4 ? isPrivateIpv4(v4.slice(1).map(Number)) : false;
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function isPrivateIpv6(host: string): boolean {
  if (host === '::1' || host === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped) return isPrivateIpv4(mapped[1]!.split('.').map(Number));
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (hex) return isPrivateIpv4([parseInt(hex[1]!, 16) >> 8, parseInt(hex[1]!, 16) & 255]);
  const first = parseInt(host.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}
