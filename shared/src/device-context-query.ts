// The device context's query string and limits, without zod: the edge SDK bundles this module
// (device-context.ts has the schema the hub validates with).
import type { DeviceContext } from './device-context.ts';

/** Limits on what a device says about itself (query string of the manifest request). */
export const DEVICE_CONTEXT_LIMITS = { maxAttributes: 16, maxKeyLength: 32, maxValueLength: 64 } as const;

/** What an attribute name may be: letters, digits, `_`, `.`, `-`, at most 32. */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

/**
 * The query string of a manifest request: `installId`, `platform`, `appVersion`, `locale`,
 * `webgpu` (1 or 0) and one `attr.<name>` per attribute, in a stable order (so ETags and caches
 * see the same URL for the same device).
 * @example deviceContextToQuery({ installId: 'a1b2c3d4e5', webgpu: true, attributes: { plan: 'pro' } }) // 'installId=a1b2c3d4e5&webgpu=1&attr.plan=pro'
 */
export function deviceContextToQuery(context: DeviceContext): string {
  const params = new URLSearchParams();
  params.set('installId', context.installId);
  if (context.platform !== undefined) params.set('platform', context.platform);
  if (context.appVersion !== undefined) params.set('appVersion', context.appVersion);
  if (context.locale !== undefined) params.set('locale', context.locale);
  if (context.webgpu !== undefined) params.set('webgpu', context.webgpu ? '1' : '0');
  for (const key of Object.keys(context.attributes ?? {}).sort()) params.set(`attr.${key}`, context.attributes![key]!);
  return params.toString();
}

/**
 * The device context in a query (as from `deviceContextToQuery`), not yet validated: parse the
 * result with DeviceContextSchema. Unknown parameters are ignored.
 */
export function deviceContextFromQuery(query: Record<string, string | undefined>): unknown {
  const attributes: Record<string, string> = {};
  let any = false;
  for (const [k, v] of Object.entries(query)) {
    if (k.startsWith('attr.') && v !== undefined) {
      attributes[k.slice(5)] = v;
      any = true;
    }
  }
  const webgpu = query.webgpu === undefined ? undefined : query.webgpu === '1' ? true : query.webgpu === '0' ? false : query.webgpu;
  return {
    installId: query.installId,
    ...(query.platform === undefined ? {} : { platform: query.platform }),
    ...(query.appVersion === undefined ? {} : { appVersion: query.appVersion }),
    ...(query.locale === undefined ? {} : { locale: query.locale }),
    ...(webgpu === undefined ? {} : { webgpu }),
    ...(any ? { attributes } : {}),
  };
}
