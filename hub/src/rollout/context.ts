import { DeviceContextSchema, deviceContextFromQuery, type DeviceContext } from '@outpost/shared';
import { validationError } from '../http/errors.ts';

/**
 * The device context in a query string (as the SDK sends it with a manifest request, or a person
 * previewing an assignment): VALIDATION_FAILED naming the field (`installId`, `attributes.plan`).
 */
export function contextFromQuery(query: Record<string, string>): DeviceContext {
  const parsed = DeviceContextSchema.safeParse(deviceContextFromQuery(query));
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}
