import { checker, object, optional, record, string, type Checked } from './check.ts';
import { ATTRIBUTE_KEY_PATTERN, DEVICE_CONTEXT_LIMITS } from './device-context-query.ts';
import type { DeviceContext } from './device-context.ts';

// Apart from wire-check.ts: the edge SDK checks an app's context when the client is created, while
// the other wire checks are a chunk it loads when a manifest or an answer arrives.

/**
 * What an app says about its device: DeviceContextSchema without `installId` and `webgpu` (the SDK
 * fills them), strict.
 * @example checkAppContext({ attributes: { 'no spaces': 'x' } }).ok // false: 'context.attributes.no spaces: expected letters, …'
 */
export function checkAppContext(value: unknown, path = 'context'): Checked<Omit<DeviceContext, 'installId' | 'webgpu'>> {
  const { maxAttributes, maxValueLength } = DEVICE_CONTEXT_LIMITS;
  const attributes = record(string({ pattern: ATTRIBUTE_KEY_PATTERN, what: 'letters, digits, _ . - (at most 32)' }), string({ max: maxValueLength }), maxAttributes);
  const shape = {
    platform: optional(string({ min: 1, max: 32 })),
    appVersion: optional(string({ min: 1, max: 32 })),
    locale: optional(string({ min: 1, max: 35 })),
    attributes: optional(attributes),
  };
  return checker<Omit<DeviceContext, 'installId' | 'webgpu'>>(object(shape, true), value, path);
}
