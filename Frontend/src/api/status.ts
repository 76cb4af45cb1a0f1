/** System status: GET /api/status (health, camera pipeline states, storage, recording statistics). */
import { request } from './client';
import type { SystemStatus } from './types';

export function getStatus(signal?: AbortSignal): Promise<SystemStatus> {
  return request<SystemStatus>('/api/status', { signal });
}
