import { z } from 'zod';
import { FEEDBACK_MAX_ITEMS } from './device-api.ts';

/**
 * Ground truth for a past prediction, learned later (a user's correction, an outcome): a
 * classifier's true class (`label`) or a regressor's true value (`value`), by the prediction's id.
 */
export const FeedbackItemSchema = z
  .object({
    predictionId: z.string().min(8).max(64),
    label: z.string().min(1).max(200).optional(),
    value: z.number().optional(),
  })
  .strict()
  .refine((i) => (i.label === undefined) !== (i.value === undefined), { message: 'give exactly one of label (a class) and value (a number)', path: ['label'] });
export type FeedbackItem = z.infer<typeof FeedbackItemSchema>;

export const FeedbackBatchSchema = z
  .object({
    deviceId: z.string().min(8).max(64),
    items: z.array(FeedbackItemSchema).min(1).max(FEEDBACK_MAX_ITEMS),
  })
  .strict();
export type FeedbackBatch = z.infer<typeof FeedbackBatchSchema>;
