import type { Job, JobHandler, JobQueue } from './job-queue.ts';

export interface InProcessQueue extends JobQueue {
  /** Set once the app (and so the handler) exists. */
  setHandler(handler: JobHandler): void;
}

/** Runs jobs one at a time on this process, after the enqueuing request has answered. */
export function createInProcessQueue(onError: (job: Job, error: unknown) => void = () => {}): InProcessQueue {
  let handler: JobHandler | undefined;
  let tail: Promise<void> = Promise.resolve();
  return {
    setHandler(h) {
      handler = h;
    },
    async enqueue(job) {
      if (!handler) throw new Error('queue has no handler');
      const run = handler;
      tail = tail.then(() => new Promise<void>((r) => setTimeout(r, 0))).then(() => run(job)).catch((e) => onError(job, e));
    },
  };
}
