import type { HubDeps } from './deps.ts';
import type { JobHandler } from './queue/job-queue.ts';
import { createTrainJob } from './training/jobs.ts';

/** What each queued job kind runs; the platform's queue consumer calls this. */
export function createJobHandler(deps: HubDeps): JobHandler {
  const train = createTrainJob(deps);
  return async (job) => {
    switch (job.kind) {
      case 'train':
        return train(job.runId);
    }
  };
}
