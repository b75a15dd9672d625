import { describe, expect, test } from 'vitest';
import { createMemoryMetaStore } from '../storage/meta.ts';
import { createFakeHub, PROJECT_KEY } from '../test-support/fake-hub.ts';
import { createFeedbackSender, MAX_PENDING_FEEDBACK } from './sender.ts';

// The sender reads the queue the client appended to (client.ts queues each label before this
// chunk loads, without a bound): it bounds it, oldest first, counted, and sends the rest in batches.
describe('feedback sender', () => {
  test('trims a queue over its bound (oldest dropped, counted as queue_full) and sends the rest', async () => {
    const hub = await createFakeHub();
    const meta = createMemoryMetaStore();
    const over = 7;
    const id = (i: number) => `pred-${String(i).padStart(5, '0')}`;
    await meta.put('pendingFeedback', Array.from({ length: MAX_PENDING_FEEDBACK + over }, (_, i) => ({ predictionId: id(i), label: 'Adelie' })));
    const sender = createFeedbackSender({ hub: { hubUrl: hub.url, projectKey: PROJECT_KEY, fetch: hub.fetch }, meta, deviceId: 'device-feedback-1' });

    await sender.flush();

    expect(sender.stats()).toMatchObject({ pending: 0, sent: MAX_PENDING_FEEDBACK, dropped: { queue_full: over } });
    expect(hub.feedback.size).toBe(MAX_PENDING_FEEDBACK);
    expect(hub.feedback.has(id(over - 1))).toBe(false); // the oldest went
    expect(hub.feedback.has(id(over))).toBe(true);
    expect(await meta.get('pendingFeedback')).toEqual([]);
  });
});
