/**
 * Detection status: GET /api/ml/status, for everyone signed in. Whether detection can run here
 * (and if not, why), the work waiting per job kind, and each worker pool with its throughput and
 * current jobs. A server without background detection answers 404; `getMlStatus` turns that into
 * null so pages can say so calmly.
 */
import { ApiError, request } from './client';

export interface DetectionSettings {
  enabled: boolean;
  available: boolean;
  /** Why detection cannot run (no ONNX Runtime library, no model file, ML_ENABLED=false). */
  reason: string | null;
  model: string | null;
  provider: string;
  /** Frames per second analysed in recorded footage. */
  historical_fps: number;
}

/** Jobs of one kind by state, and the footage (seconds) that waiting and running jobs still cover. */
export interface QueueStatus {
  kind: string;
  queued: number;
  running: number;
  failed: number;
  parked: number;
  backlog_seconds: number;
  /** The same backlog in hours of footage. */
  backlog_hours: number;
}

export interface WorkerJob {
  id: string;
  camera_id: string | null;
  recording_id: string | null;
  /** 0..1 */
  progress: number;
}

export interface WorkerStatus {
  id: string;
  host: string;
  kinds: string[];
  started_at: string;
  heartbeat_at: string;
  alive: boolean;
  jobs: WorkerJob[];
  frames_per_second: number | null;
  inference_ms: number | null;
  detection_available: boolean;
  reason: string | null;
}

/** Live detection of one camera. */
export interface LiveCameraStatus {
  camera_id: string;
  /** starting, watching, waiting, elsewhere (a live worker on another machine), off, unavailable */
  state: string;
  /** The live worker that holds the camera (`host:pid:instance`). */
  worker: string | null;
  since: string;
  last_frame_at: string | null;
  frames: number;
  analysed: number;
  frames_per_second: number | null;
  inference_ms: number | null;
  objects: Record<string, number>;
  error: string | null;
}

export interface MlStatus {
  detection: DetectionSettings;
  queues: QueueStatus[];
  workers: WorkerStatus[];
  /** Absent from servers without live detection. */
  live?: LiveCameraStatus[];
}

/** The detection status, or null from a server that has no such endpoint (404). */
export async function getMlStatus(signal?: AbortSignal): Promise<MlStatus | null> {
  try {
    return await request<MlStatus>('/api/ml/status', { signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
