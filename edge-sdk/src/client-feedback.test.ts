import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createClientFactory, modelBytes, penguin } from './test-support/clients.ts';
import { createFakeHub, eventually, type FakeHub } from './test-support/fake-hub.ts';

let clients: ReturnType<typeof createClientFactory>;
let hub: FakeHub;
beforeEach(async () => {
  clients = createClientFactory();
  hub = await createFakeHub();
  await hub.publish(1, modelBytes(1));
});
afterEach(() => clients.closeAll());

describe('feedback(): late labels', () => {
  test('sends the true class of a past prediction, by its id', async () => {
    const outpost = clients.client(hub);
    const p = await outpost.predict(penguin(1));
    await outpost.feedback(p.id, 'Adelie');
    await eventually(() => expect(hub.feedback.get(p.id)).toEqual({ predictionId: p.id, label: 'Adelie' }));
    await eventually(() => expect(outpost.stats().feedback).toMatchObject({ pending: 0, sent: 1, dropped: {} }));
  });

  test('offline, labels wait on the device, survive a reload, and go out at the next start', async () => {
    const first = clients.client(hub);
    const p = await first.predict(penguin(1));
    hub.down = true;
    await first.feedback(p.id, 'Gentoo');
    await first.feedback(p.id, 3.5); // a value too: the hub keeps the latest
    await first.flush();
    expect(first.stats().feedback).toMatchObject({ pending: 2, sent: 0 });
    expect(hub.feedback.size).toBe(0);
    await first.close();

    hub.down = false;
    const second = clients.client(hub);
    await second.ready();
    await eventually(() => expect(hub.feedback.get(p.id)).toEqual({ predictionId: p.id, value: 3.5 }));
    await eventually(() => expect(second.stats().feedback).toMatchObject({ pending: 0, sent: 2 }));
  });

  test('a label the hub refuses (4xx) is dropped and counted; a 503 keeps it for later', async () => {
    const outpost = clients.client(hub);
    const p = await outpost.predict(penguin(1));
    hub.script('feedback', { status: 503 });
    await outpost.feedback(p.id, 'Adelie');
    await eventually(() => expect(outpost.stats().feedback).toMatchObject({ pending: 1, lastError: expect.stringContaining('HTTP 503') }));
    hub.script('feedback', { status: 400 });
    await outpost.flush();
    expect(outpost.stats().feedback).toMatchObject({ pending: 0, sent: 0, dropped: { refused: 1 } });
    expect(hub.feedback.size).toBe(0);
  });

  test('a bad argument throws a TypeError naming it, at once', async () => {
    const outpost = clients.client(hub);
    expect(() => outpost.feedback('short', 'Adelie')).toThrow(/predictionId must be a prediction's id/);
    expect(() => outpost.feedback('pred-0001-xxxx', '')).toThrow(/label must be a class name/);
    expect(() => outpost.feedback('pred-0001-xxxx', Number.NaN)).toThrow(/label must be a class name .* or a finite number/);
  });
});
