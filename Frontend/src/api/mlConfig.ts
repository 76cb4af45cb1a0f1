/**
 * Detection configuration (docs/api.md, "Detection configuration"): settings kept by the server,
 * globally and per camera, applied without a restart. A null or missing key inherits (camera ←
 * global ← environment). `pipeline` is the ML_PIPELINE_CONFIG format (docs/detection-pipeline.md);
 * keys this UI does not edit are kept as they are. Everyone reads; admins save, export is a file
 * of the scope's pipeline JSON and import sends such a file back.
 */
import { request, requestRaw } from './client';

/** The pipeline JSON; the keys the UI edits are typed, any other is carried through untouched. */
export interface PipelineConfig {
  confidence?: number | null;
  classes?: Record<string, number> | null;
  class_filter?: string[] | null;
  fps?: number | null;
  motion?: ({ min_changed_fraction?: number | null } & Record<string, unknown>) | null;
  [key: string]: unknown;
}

export interface DetectionConfig {
  live_enabled: boolean | null;
  cooldown_seconds: number | null;
  pipeline: PipelineConfig | null;
}

/** What a camera gets once every level is merged. */
export interface EffectiveConfig {
  live_enabled: boolean;
  cooldown_seconds: number;
  fps: number;
  confidence: number;
  classes: Record<string, number>;
  class_filter: string[] | null;
  motion_min_changed_fraction: number;
}

export interface CameraDetectionConfig {
  camera_id: string;
  name: string;
  config: DetectionConfig;
  effective: EffectiveConfig;
}

export interface DetectionConfigDocument {
  global: DetectionConfig;
  cameras: CameraDetectionConfig[];
}

/** Which settings: the global ones, or one camera's. */
export type ConfigScope = { kind: 'global' } | { kind: 'camera'; cameraId: string };

function scopeQuery(scope: ConfigScope): { camera_id?: string } {
  return scope.kind === 'camera' ? { camera_id: scope.cameraId } : {};
}

export function getDetectionConfig(signal?: AbortSignal): Promise<DetectionConfigDocument> {
  return request<DetectionConfigDocument>('/api/ml/config', { signal });
}

/** Replaces the scope's settings; a bad value answers 422 naming the field. */
export function saveDetectionConfig(scope: ConfigScope, config: DetectionConfig): Promise<DetectionConfigDocument> {
  const path = scope.kind === 'camera' ? `/api/cameras/${encodeURIComponent(scope.cameraId)}/detection` : '/api/ml/config';
  return request<DetectionConfigDocument>(path, { method: 'PUT', body: config });
}

/** The scope's pipeline JSON as a file, and the name the server gave it (if any). */
export async function exportDetectionConfig(scope: ConfigScope): Promise<{ blob: Blob; filename: string | null }> {
  const response = await requestRaw('/api/ml/config/export', { query: scopeQuery(scope) });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob: await response.blob(), filename: match ? decodeURIComponent(match[1]) : null };
}

/** Sends a pipeline JSON file's text as the scope's pipeline. */
export function importDetectionConfig(scope: ConfigScope, text: string): Promise<DetectionConfigDocument> {
  return request<DetectionConfigDocument>('/api/ml/config/import', {
    method: 'POST',
    body: text,
    headers: { 'Content-Type': 'application/json' },
    query: scopeQuery(scope),
  });
}
