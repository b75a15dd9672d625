import type { HubDeps } from './deps.ts';
import type { JobHandler } from './queue/job-queue.ts';
import { createTrainJob } from './training/jobs.ts';
import { createSearchJob } from './training/search-job.ts';

/** What each queued job kind runs; the platform's queue consumer calls this. */
export function createJobHandler(deps: HubDeps): JobHandler {
  const train = createTrainJob(deps);
  const search = createSearchJob(deps);
  return async (job) => {
    switch (job.kind) {
      case 'train':
        return train(job.runId);
      case 'search':
        return search(job.searchId);
    }
  };
}
