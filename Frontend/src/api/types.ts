/**
 * Shapes of the JSON the Ronin NVR HTTP API exchanges (docs/api.md).
 * Times are UTC ISO 8601 strings; ids are UUID strings.
 */

export type Role = 'admin' | 'viewer';
export type Transport = 'tcp' | 'udp';

/** Body of every 4xx/5xx answer. */
export interface ApiErrorBody {
  error: string;
  message: string;
}

export interface LoginResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/** The signed-in user, from GET /api/auth/me. */
export interface CurrentUser {
  id: string;
  username: string;
  role: Role;
  created_at: string;
}

export interface User {
  id: string;
  username: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
}

export interface UserPatch {
  password?: string;
  role?: Role;
}

/**
 * A camera as the API returns it; the password itself is never returned. How it is reached and
 * stored (folder_name through transport) is for admins: viewers get those fields as null, and
 * the pages they see read only the rest.
 */
export interface Camera {
  id: string;
  name: string;
  folder_name: string;
  host: string;
  port: number;
  username: string;
  has_password: boolean;
  stream_path: string;
  substream_path: string | null;
  /** Whether the grid can play a sub-stream (told to viewers too). */
  has_substream: boolean;
  transport: Transport;
  enabled: boolean;
  recording_enabled: boolean;
  audio_enabled: boolean;
  group: string | null;
  sort_order: number;
  created_at: string;
  updated_at: string;
}

/** Fields accepted on create (all) and update (any subset). */
export interface CameraInput {
  name: string;
  host: string;
  port: number;
  username: string;
  /** Omitted on update = keep the stored password; "" = remove it. */
  password?: string;
  stream_path: string;
  substream_path: string | null;
  transport: Transport;
  enabled: boolean;
  recording_enabled: boolean;
  audio_enabled: boolean;
  group: string | null;
  sort_order: number;
}

/** Body of POST /api/cameras/test. */
export interface ProbeRequest extends Partial<CameraInput> {
  host: string;
  camera_id?: string;
}

export interface ProbeVideo {
  codec: string;
  width: number;
  height: number;
  fps: number;
}

export interface ProbeAudio {
  codec: string;
  sample_rate: number;
  channels: number;
}

export interface ProbeResult {
  ok: boolean;
  video: ProbeVideo | null;
  audio: ProbeAudio | null;
  elapsed_ms: number;
}

export interface BulkRecordingResult {
  updated: number;
}

export interface ImportReport {
  created: { name: string; id: string }[];
  skipped: { name: string; reason: string }[];
  refused: { name: string; reason: string }[];
}

/** A camera pipeline's state, from GET /api/status (docs/design/storage.md, "Supervision"). */
export type PipelineState = 'starting' | 'recording' | 'live' | 'reconnecting' | 'error' | 'stopped';

export interface CameraStatus {
  id: string;
  name: string;
  enabled: boolean;
  recording_enabled: boolean;
  /** A PipelineState; kept open to strings so a newer server's state still renders. */
  state: PipelineState | string;
  /** When the camera entered `state` (UTC ISO). */
  since: string;
  last_error: string | null;
  restarts: number;
}

/** Segments finished and their bytes in a time window. */
export interface RecordingWindow {
  segments: number;
  bytes: number;
}

export interface StorageStatus {
  /** STORAGE_ROOT; null for viewers. */
  root: string | null;
  recordings_bytes: number;
  recordings_count: number;
  total_bytes: number | null;
  free_bytes: number | null;
}

export interface CameraRecordingStats {
  camera_id: string;
  name: string;
  last_hour: RecordingWindow;
  last_day: RecordingWindow;
}

/** GET /api/status: API health, camera states, storage use and recording statistics. */
export interface SystemStatus {
  api: { status: string; version: string; database: string };
  uptime_seconds: number;
  cameras: CameraStatus[];
  cameras_by_state: Record<string, number>;
  storage: StorageStatus;
  recording: { last_hour: RecordingWindow; last_day: RecordingWindow };
  recording_per_camera: CameraRecordingStats[];
}
