/**
 * Storage tiers (docs/design/tiers.md): each tier's use, policy and backlog, checking now,
 * the policies edited in the UI (null inherits the environment), moving footage down a tier by
 * hand, the deletions log and storage used over time. Viewers read; admins change. Viewers get
 * no folders, buckets, paths or error texts (the server leaves them null).
 */
import { ApiError, request } from './client';

export type TierName = 'hot' | 'warm' | 'cold';

/** An age and/or size limit; null parts do not apply. */
export interface StorageLimits {
  max_age_seconds: number | null;
  max_bytes: number | null;
  min_age_seconds: number | null;
}

export interface TierStatus {
  tier: TierName;
  /** Whether this server has the tier at all (WARM_STORAGE_PATH, the S3 bucket). */
  configured: boolean;
  /** The folder or bucket; null for viewers and unconfigured tiers. */
  location: string | null;
  reachable: boolean;
  error: string | null;
  /** The tier's disk (null for S3). */
  capacity_bytes: number | null;
  free_bytes: number | null;
  /** What the free-space guard keeps free on the disk. */
  required_free_bytes: number | null;
  /** Footage in the tier. */
  used_bytes: number;
  recordings: number;
  oldest: string | null;
  newest: string | null;
  policy: StorageLimits;
  /** Moves waiting or running out of this tier. */
  backlog: { jobs: number; bytes: number };
  days_held: number | null;
  days_expected: number | null;
}

export interface CameraStorage {
  camera_id: string;
  name: string;
  bytes_per_second: number;
  /** 0 to 100; the lowest stop recording first when only locked footage is left. */
  priority: number;
  /** The retention that applies to the camera (its own parts, else the global ones). */
  retention: StorageLimits;
  recording_paused: boolean;
}

export interface StorageCheck {
  at: string | null;
  planned_deletions: number;
  planned_moves: number;
  queued: number;
  planning_ms: number;
  error: string | null;
}

/** GET /api/storage. */
export interface StorageOverview {
  /** The guard wanted space that only locked footage was left to give. */
  critical: boolean;
  shortfall_bytes: number;
  retention: StorageLimits;
  tiers: TierStatus[];
  cameras: CameraStorage[];
  last_check: StorageCheck;
}

/** A policy as written in the UI ("7d", "0.5"); missing or null inherits. */
export interface StoragePolicyDocument {
  retention_max_age?: string | null;
  retention_max_gb?: string | null;
  hot_max_age?: string | null;
  hot_max_gb?: string | null;
  hot_min_age?: string | null;
  warm_max_age?: string | null;
  warm_max_gb?: string | null;
  min_free_gb?: string | null;
}

/** A camera's own storage settings. Numbers go out as numbers; anything else as written, for the server to judge. */
export interface CameraStorageDocument {
  retention_max_age?: string | null;
  retention_max_gb?: string | null;
  priority?: number | string | null;
}

/** GET/PUT /api/storage/policy: the document stored, what is in force, and each camera's own document. */
export interface StoragePolicy {
  document: StoragePolicyDocument;
  effective: StorageLimits;
  hot: StorageLimits;
  warm: StorageLimits;
  min_free_bytes: number;
  /** Absent from servers that do not report camera documents here. */
  cameras?: { camera_id: string; document: CameraStorageDocument }[];
}

export interface MigrateResult {
  recordings: number;
  bytes: number;
  queued: number;
  already_queued: number;
}

export type DeletionReason = 'age' | 'size' | 'free_space' | 'tier_age' | 'tier_size' | 'manual';

export interface StorageDeletion {
  id: string;
  recording_id: string;
  camera_id: string;
  start: string;
  end: string;
  size_bytes: number;
  tier: TierName;
  /** Admins only. */
  path: string | null;
  reason: DeletionReason | string;
  deleted_at: string;
}

export interface DeletionPage {
  deletions: StorageDeletion[];
  total: number;
  next_cursor: string | null;
}

export interface StorageSample {
  at: string;
  tier: TierName;
  used_bytes: number;
  recordings: number;
  free_bytes: number | null;
  capacity_bytes: number | null;
}

/** GET /api/storage, or null from a server without storage tiers (404), so pages can say so calmly. */
export async function getStorage(signal?: AbortSignal): Promise<StorageOverview | null> {
  try {
    return await request<StorageOverview>('/api/storage', { signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Checks free space and the policies now (admins); answers the status after the check. */
export function checkStorage(): Promise<StorageOverview> {
  return request<StorageOverview>('/api/storage/check', { method: 'POST' });
}

export function getStoragePolicy(signal?: AbortSignal): Promise<StoragePolicy> {
  return request<StoragePolicy>('/api/storage/policy', { signal });
}

/** Replaces the global document (admins); a refused value is a 422 naming its field. */
export function saveStoragePolicy(document: StoragePolicyDocument): Promise<StoragePolicy> {
  return request<StoragePolicy>('/api/storage/policy', { method: 'PUT', body: document });
}

/** Replaces a camera's own document (admins). */
export function saveCameraStorage(cameraId: string, document: CameraStorageDocument): Promise<CameraStorageDocument> {
  return request<CameraStorageDocument>(`/api/storage/cameras/${encodeURIComponent(cameraId)}`, { method: 'PUT', body: document });
}

/** Queues moves of the cameras' footage recorded before `before` down to `toTier` (admins). */
export function migrateFootage(cameraIds: string[], before: string, toTier: TierName): Promise<MigrateResult> {
  return request<MigrateResult>('/api/storage/migrate', { method: 'POST', body: { camera_ids: cameraIds, before, to_tier: toTier } });
}

export function listDeletions(limit: number, cursor: string | null, signal?: AbortSignal): Promise<DeletionPage> {
  return request<DeletionPage>('/api/storage/deletions', { query: { limit, cursor: cursor ?? undefined }, signal });
}

export function getStorageHistory(hours: number, signal?: AbortSignal): Promise<{ samples: StorageSample[] }> {
  return request<{ samples: StorageSample[] }>('/api/storage/history', { query: { hours }, signal });
}
