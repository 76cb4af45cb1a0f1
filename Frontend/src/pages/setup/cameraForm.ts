/**
 * The Add/Edit camera form's state and its conversions: from a Camera, to the API's CameraInput,
 * to a PATCH body holding only what changed, to a connection-test request, plus client-side checks
 * that mirror the server's (the server stays the authority).
 */
import type { Camera, CameraInput, ProbeRequest, Transport } from '../../api/types';

export interface CameraFormState {
  name: string;
  host: string;
  port: string;
  username: string;
  /** Blank on edit means "keep the stored password". */
  password: string;
  /** Edit only: send "" to remove the stored password. */
  removePassword: boolean;
  stream_path: string;
  substream_path: string;
  transport: Transport;
  enabled: boolean;
  recording_enabled: boolean;
  audio_enabled: boolean;
  group: string;
  sort_order: string;
}

export type FormErrors = Partial<Record<keyof CameraFormState, string>>;

export const DEFAULT_PORT = 554;

export function emptyForm(nextSortOrder = 0): CameraFormState {
  return {
    name: '',
    host: '',
    port: String(DEFAULT_PORT),
    username: '',
    password: '',
    removePassword: false,
    stream_path: '/',
    substream_path: '',
    transport: 'tcp',
    enabled: true,
    recording_enabled: true,
    audio_enabled: false,
    group: '',
    sort_order: String(nextSortOrder),
  };
}

export function formFromCamera(camera: Camera): CameraFormState {
  return {
    name: camera.name,
    host: camera.host,
    port: String(camera.port),
    username: camera.username ?? '',
    password: '',
    removePassword: false,
    stream_path: camera.stream_path,
    substream_path: camera.substream_path ?? '',
    transport: camera.transport,
    enabled: camera.enabled,
    recording_enabled: camera.recording_enabled,
    audio_enabled: camera.audio_enabled,
    group: camera.group ?? '',
    sort_order: String(camera.sort_order),
  };
}

/** RTSP paths always begin with "/"; an empty main path means the root. */
function normalizePath(path: string): string {
  const trimmed = path.trim();
  if (!trimmed) return '/';
  return trimmed.startsWith('/') ? trimmed : '/' + trimmed;
}

function isInteger(text: string): boolean {
  return /^-?\d+$/.test(text.trim());
}

export function validateForm(form: CameraFormState): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) errors.name = 'Give the camera a name.';
  if (!form.host.trim()) errors.host = 'Enter the camera’s host name or IP address.';
  else if (/\s/.test(form.host.trim()) || form.host.includes('/')) errors.host = 'Enter only the host (no spaces, no rtsp://, no path).';
  const port = Number(form.port);
  if (!isInteger(form.port) || port < 1 || port > 65535) errors.port = 'Port must be a whole number from 1 to 65535.';
  if (!isInteger(form.sort_order)) errors.sort_order = 'Sort order must be a whole number.';
  return errors;
}

/** The password field as the API expects it: undefined = keep, "" = remove, text = set. */
function passwordValue(form: CameraFormState, editing: boolean): string | undefined {
  if (editing && form.removePassword) return '';
  if (form.password) return form.password;
  return undefined;
}

export function inputFromForm(form: CameraFormState, editing: boolean): CameraInput {
  const input: CameraInput = {
    name: form.name.trim(),
    host: form.host.trim(),
    port: Number(form.port),
    username: form.username.trim(),
    stream_path: normalizePath(form.stream_path),
    substream_path: form.substream_path.trim() ? normalizePath(form.substream_path) : null,
    transport: form.transport,
    enabled: form.enabled,
    recording_enabled: form.recording_enabled,
    audio_enabled: form.audio_enabled,
    group: form.group.trim() || null,
    sort_order: Number(form.sort_order),
  };
  const password = passwordValue(form, editing);
  if (password !== undefined) input.password = password;
  return input;
}

/** Only the fields that differ from the stored camera (so an unchanged connection is not re-probed). */
export function patchFromForm(camera: Camera, form: CameraFormState): Partial<CameraInput> {
  const input = inputFromForm(form, true);
  const patch: Partial<CameraInput> = {};
  const before: Record<string, unknown> = {
    name: camera.name,
    host: camera.host,
    port: camera.port,
    username: camera.username ?? '',
    stream_path: camera.stream_path,
    substream_path: camera.substream_path ?? null,
    transport: camera.transport,
    enabled: camera.enabled,
    recording_enabled: camera.recording_enabled,
    audio_enabled: camera.audio_enabled,
    group: camera.group ?? null,
    sort_order: camera.sort_order,
  };
  for (const key of Object.keys(before) as (keyof CameraInput)[]) {
    if (input[key] !== before[key]) (patch as Record<string, unknown>)[key] = input[key];
  }
  if (input.password !== undefined) patch.password = input.password;
  return patch;
}

/** Body for POST /api/cameras/test; on edit the stored password is used unless a new one is typed. */
export function probeFromForm(form: CameraFormState, cameraId: string | null): ProbeRequest {
  const input = inputFromForm(form, cameraId !== null);
  const probe: ProbeRequest = {
    host: input.host,
    port: input.port,
    username: input.username,
    stream_path: input.stream_path,
    transport: input.transport,
  };
  if (input.password !== undefined) probe.password = input.password;
  if (cameraId) probe.camera_id = cameraId;
  return probe;
}

/** A key that changes whenever a connection setting changes (to mark an old test result stale). */
export function connectionKey(form: CameraFormState): string {
  return JSON.stringify([form.host.trim(), form.port, form.username, form.password, form.removePassword, normalizePath(form.stream_path), form.transport]);
}
