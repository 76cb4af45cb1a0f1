/**
 * Background jobs (docs/design/jobs.md): GET /api/jobs to list them by state, POST
 * /api/jobs/{id}/retry to queue a parked, failed or cancelled one again. Admins only.
 */
import { request } from './client';

export type JobState = 'queued' | 'running' | 'failed' | 'parked' | 'succeeded' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  state: JobState | string;
  priority: number;
  /** Attempts started so far. */
  attempt: number;
  max_attempts: number;
  run_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** 0..1 */
  progress: number;
  payload: Record<string, unknown>;
  result: Record<string, unknown> | null;
  last_error: string | null;
  camera_id: string | null;
  recording_id: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface JobList {
  jobs: Job[];
  total: number;
  next_cursor: string | null;
}

/** Jobs in any of `states`, newest first (at most 500 a page). */
export function listJobs(states: JobState[], options: { kind?: string; limit?: number; cursor?: string | null } = {}, signal?: AbortSignal): Promise<JobList> {
  return request<JobList>('/api/jobs', {
    query: { state: states.join(','), kind: options.kind, limit: options.limit, cursor: options.cursor ?? undefined },
    signal,
  });
}

/** Queues the job again with its attempts reset; the server answers 409 for a job it cannot retry. */
export function retryJob(id: string): Promise<Job> {
  return request<Job>(`/api/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' });
}
