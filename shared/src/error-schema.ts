import { z } from 'zod';
import { ERROR_CODES, type ErrorBody, type ErrorIssue } from './errors.ts';

/** Where a problem is: a JSON path into a request body, and/or a data row and column. */
export const ErrorIssueSchema = z.object({
  path: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  message: z.string(),
});

/** The body of every 4xx/5xx answer from the hub (the SDK reads it with checkErrorBody, wire-check.ts). */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    issues: z.array(ErrorIssueSchema).optional(),
  }),
});

// errors.ts spells the types out (it must not import zod); they must not drift from the schemas.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const issueMatches: Same<z.infer<typeof ErrorIssueSchema>, ErrorIssue> = true;
const bodyMatches: Same<z.infer<typeof ErrorBodySchema>, ErrorBody> = true;
void issueMatches;
void bodyMatches;
