import type { Queue } from '@cloudflare/workers-types';
import type { Job, JobQueue } from './job-queue.ts';

/** Jobs through a Cloudflare Queue; the worker's `queue()` export consumes them. */
export function createCloudflareQueue(queue: Queue<Job>): JobQueue {
  return {
    async enqueue(job) {
      await queue.send(job);
    },
  };
}
