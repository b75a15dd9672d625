/** Long work leaves the request through this queue: in-process on Node, Cloudflare Queues on Workers. */
export type Job = { kind: 'train'; runId: string } | { kind: 'search'; searchId: string };

export interface JobQueue {
  enqueue(job: Job): Promise<void>;
}

export type JobHandler = (job: Job) => Promise<void>;
