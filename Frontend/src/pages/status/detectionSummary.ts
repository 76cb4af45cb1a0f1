/**
 * What the Status page says about detection, from GET /api/ml/status: whether it can run and,
 * if not, why, in plain words; the footage still waiting, in hours; and the throughput of the
 * worker pools that are alive. Pure functions, checked by Frontend/test/status.test.ts.
 */
import type { DetectionSettings, QueueStatus, WorkerStatus } from '../../api/ml';

export type Tone = 'ok' | 'off' | 'bad';

export interface Availability {
  tone: Tone;
  /** One or two words: "Running", "Not available", "Switched off". */
  title: string;
  /** The model and where it runs, or why detection cannot run. */
  detail: string;
}

const PROVIDERS: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA GPU' };

/** A provider as people call it: cpu -> "CPU", cuda -> "CUDA GPU". */
export function providerName(provider: string): string {
  return PROVIDERS[provider.toLowerCase()] ?? provider;
}

export function availability(detection: DetectionSettings): Availability {
  if (!detection.enabled) {
    return { tone: 'off', title: 'Switched off', detail: detection.reason ?? 'Detection is turned off in the settings (ML_ENABLED=false).' };
  }
  if (!detection.available) {
    return { tone: 'bad', title: 'Not available', detail: detection.reason ?? 'The server did not say why.' };
  }
  const rate = `${detection.historical_fps} ${detection.historical_fps === 1 ? 'frame' : 'frames'} per second of footage`;
  return { tone: 'ok', title: 'Running', detail: `${detection.model ?? 'Model'} on ${providerName(detection.provider)}, ${rate}` };
}

/** Footage in seconds as hours ("3.3 h"), minutes under an hour ("12 min"), or "none". */
export function formatFootage(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'none';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  const hours = seconds / 3600;
  return `${hours < 100 ? hours.toFixed(1) : Math.round(hours).toLocaleString('en-US')} h`;
}

/** All the footage waiting across kinds, in seconds. */
export function totalBacklog(queues: QueueStatus[]): number {
  return queues.reduce((sum, q) => sum + Math.max(0, q.backlog_seconds), 0);
}

/** Parked and failed jobs across kinds: what an admin may want to look at. */
export function troubledJobs(queues: QueueStatus[]): number {
  return queues.reduce((sum, q) => sum + q.failed + q.parked, 0);
}

const KINDS: Record<string, string> = { detect: 'Detection', describe: 'Descriptions', artifacts: 'Snapshots and clips', webhook: 'Notifications', live: 'Live detection', migrate: 'Storage tiers', retain: 'Retention', transcode: 'Transcoding', export: 'Export' };

/** A job kind as a heading: detect -> "Detection"; unknown kinds as written. */
export function kindLabel(kind: string): string {
  return KINDS[kind] ?? kind;
}

export interface Throughput {
  /** Frames per second analysed by the live pools together; null when none has measured any. */
  framesPerSecond: number | null;
  /** Mean inference time of the live pools that report one (ms), or null. */
  inferenceMs: number | null;
  alive: number;
}

/** A measured rate or time, or null where the pool has measured nothing yet (the server sends 0 or null). */
export function measured(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

export function throughput(workers: WorkerStatus[]): Throughput {
  const alive = workers.filter((w) => w.alive);
  const rates = alive.map((w) => measured(w.frames_per_second)).filter((v): v is number => v !== null);
  const times = alive.map((w) => measured(w.inference_ms)).filter((v): v is number => v !== null);
  return {
    framesPerSecond: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) : null,
    inferenceMs: times.length > 0 ? times.reduce((a, b) => a + b, 0) / times.length : null,
    alive: alive.length,
  };
}

/** A rate or time with one decimal under 10 and none above: 7.25 -> "7.3", 31.2 -> "31"; "—" for none. */
export function formatRate(value: number | null): string {
  if (value === null) return '—';
  return value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}
