import { z } from 'zod';
import { ATTRIBUTE_KEY_PATTERN, DEVICE_CONTEXT_LIMITS } from './device-context-query.ts';

const AttributeKey = z.string().regex(ATTRIBUTE_KEY_PATTERN, 'letters, digits, _ . - (at most 32)');

/**
 * What a device tells the hub when it asks which model version to run: what rollout targeting
 * rules match on. The SDK fills `installId` (its random per-install id) and `webgpu`; the app
 * gives the rest.
 */
export const DeviceContextSchema = z.object({
  /** The SDK's random id for this install (the device id of its inference records). */
  installId: z.string().min(8).max(64),
  /** e.g. 'android', 'ios', 'windows', 'macos', 'linux'. */
  platform: z.string().min(1).max(32).optional(),
  /** The app's version, semver (`1.4.2`), compared by version-range rules. */
  appVersion: z.string().min(1).max(32).optional(),
  /** BCP 47 language tag, e.g. 'de-CH'. */
  locale: z.string().min(1).max(35).optional(),
  /** Whether a WebGPU adapter is available. */
  webgpu: z.boolean().optional(),
  /** Custom attributes the app sets (plan, cohort, …). */
  attributes: z
    .record(AttributeKey, z.string().max(DEVICE_CONTEXT_LIMITS.maxValueLength))
    .refine((a) => Object.keys(a).length <= DEVICE_CONTEXT_LIMITS.maxAttributes, `at most ${DEVICE_CONTEXT_LIMITS.maxAttributes} attributes`)
    .optional(),
});
export type DeviceContext = z.infer<typeof DeviceContextSchema>;
