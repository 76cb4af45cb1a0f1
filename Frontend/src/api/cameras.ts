/** Camera endpoints: CRUD, recording toggles, connection test, export and import. */
import { request, requestRaw } from './client';
import type { BulkRecordingResult, Camera, CameraInput, ImportReport, ProbeRequest, ProbeResult } from './types';

export function listCameras(signal?: AbortSignal): Promise<Camera[]> {
  return request<Camera[]>('/api/cameras', { signal });
}

export function createCamera(input: CameraInput, validate: boolean): Promise<Camera> {
  return request<Camera>('/api/cameras', {
    method: 'POST',
    body: input,
    query: { validate: validate ? undefined : false },
  });
}

export function updateCamera(id: string, patch: Partial<CameraInput>, validate: boolean): Promise<Camera> {
  return request<Camera>(`/api/cameras/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: patch,
    query: { validate: validate ? undefined : false },
  });
}

export function deleteCamera(id: string): Promise<void> {
  return request<void>(`/api/cameras/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function setRecording(id: string, on: boolean): Promise<Camera> {
  return request<Camera>(`/api/cameras/${encodeURIComponent(id)}/recording/${on ? 'start' : 'stop'}`, {
    method: 'POST',
  });
}

export function setAllRecording(on: boolean): Promise<BulkRecordingResult> {
  return request<BulkRecordingResult>(`/api/cameras/recording/${on ? 'start-all' : 'stop-all'}`, {
    method: 'POST',
  });
}

export function testConnection(probe: ProbeRequest): Promise<ProbeResult> {
  return request<ProbeResult>('/api/cameras/test', { method: 'POST', body: probe });
}

/** Downloads the export document as a Blob (credentials included only with a passphrase). */
export async function exportCameras(passphrase: string): Promise<Blob> {
  const headers: Record<string, string> = {};
  if (passphrase) headers['X-Export-Passphrase'] = passphrase;
  const response = await requestRaw('/api/cameras/export', { headers });
  return response.blob();
}

export function importCameras(document: string, passphrase: string, validate: boolean): Promise<ImportReport> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (passphrase) headers['X-Import-Passphrase'] = passphrase;
  return request<ImportReport>('/api/cameras/import', {
    method: 'POST',
    body: document,
    headers,
    query: { validate: validate ? true : undefined },
  });
}
