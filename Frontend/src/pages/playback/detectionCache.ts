/**
 * Detections around the playhead, fetched in fixed chunks of footage time and kept for a while,
 * so playing, pausing and stepping never ask the server once per frame. The chunks an instant
 * needs are those covering the instant give or take the frame tolerance, plus the next chunk
 * once the playhead is within `prefetchMs` of a chunk's end (so playing on finds it loaded). A
 * seek elsewhere asks for that place's chunks; the least recently used chunks beyond `maxChunks`
 * are dropped. Chunks of recent footage (detection runs on segments after they are written) are
 * asked again now and then; a failed chunk is retried after `retryMs`. A camera whose detections
 * the server does not have (404: an older server) is not asked again.
 *
 * Invariants: at most one request per chunk is in flight; chunks cover disjoint ranges
 * [start, start + chunkMs) aligned to multiples of chunkMs, so their sorted lists concatenate in
 * order; `onChange` runs after every change a reader could see.
 */
import type { DetectionPage } from '../../api/detections';
import { inWindow, nearestPerClass, toTimed, type TimedDetection } from './detectionFrames';

/** One page of the camera's detections in [start, end) (ISO instants); null when the server has none (404). */
export type PageLoader = (cameraId: string, start: string, end: string, cursor: string | null, signal: AbortSignal) => Promise<DetectionPage | null>;

export interface CacheOptions {
  chunkMs: number;
  prefetchMs: number;
  maxChunks: number;
  /** Pages followed per chunk at the most (each of the loader's page size). */
  maxPages: number;
  retryMs: number;
  /** Chunks ending less than this before now count as recent footage... */
  recentMs: number;
  /** ...and are asked again when their answer is older than this. */
  refreshMs: number;
  now: () => number;
}

export const DEFAULT_CACHE_OPTIONS: CacheOptions = {
  chunkMs: 2 * 60_000,
  prefetchMs: 30_000,
  maxChunks: 12,
  maxPages: 10,
  retryMs: 10_000,
  recentMs: 30 * 60_000,
  refreshMs: 30_000,
  now: () => Date.now(),
};

/** How far the detections for an instant are: shown, still loading, failed, or not offered by the server. */
export type CoverState = 'ready' | 'loading' | 'failed' | 'unsupported';

interface Chunk {
  cameraId: string;
  start: number;
  /** Null until the first answer. */
  detections: TimedDetection[] | null;
  failed: boolean;
  inFlight: AbortController | null;
  answeredAt: number;
  lastUsed: number;
}

/** Starts of the chunks covering [from, to]. */
export function chunkStarts(from: number, to: number, chunkMs: number): number[] {
  const starts: number[] = [];
  for (let start = Math.floor(from / chunkMs) * chunkMs; start <= to; start += chunkMs) starts.push(start);
  return starts;
}

/** An instant as the API writes it (whole seconds without a fraction). */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export class DetectionCache {
  private readonly chunks = new Map<string, Chunk>();
  private readonly unsupported = new Set<string>();
  private readonly options: CacheOptions;
  private uses = 0;
  private destroyed = false;

  constructor(private readonly loadPage: PageLoader, private readonly onChange: () => void, options: Partial<CacheOptions> = {}) {
    this.options = { ...DEFAULT_CACHE_OPTIONS, ...options };
  }

  /** Asks for whatever `instant` needs that is neither loaded nor on its way. */
  want(cameraId: string, instant: number, toleranceMs: number): void {
    if (this.destroyed || this.unsupported.has(cameraId)) return;
    const { chunkMs, prefetchMs, retryMs, recentMs, refreshMs, now } = this.options;
    const at = now();
    const needed = chunkStarts(instant - toleranceMs, instant + Math.max(toleranceMs, prefetchMs), chunkMs);
    for (const start of needed) {
      const key = `${cameraId}/${start}`;
      let chunk = this.chunks.get(key);
      if (!chunk) {
        chunk = { cameraId, start, detections: null, failed: false, inFlight: null, answeredAt: 0, lastUsed: 0 };
        this.chunks.set(key, chunk);
      }
      chunk.lastUsed = ++this.uses;
      if (chunk.inFlight) continue;
      const never = chunk.detections === null && !chunk.failed;
      const retry = chunk.failed && at - chunk.answeredAt >= retryMs;
      const refresh = chunk.detections !== null && start + chunkMs > at - recentMs && at - chunk.answeredAt >= refreshMs;
      if (never || retry || refresh) void this.load(chunk);
    }
    this.evict();
  }

  /** Each class's nearest analysed frame within `toleranceMs` of `instant`, from what is loaded. */
  framesNear(cameraId: string, instant: number, toleranceMs: number): TimedDetection[] {
    const from = instant - toleranceMs;
    const to = instant + toleranceMs;
    const candidates: TimedDetection[] = [];
    for (const start of chunkStarts(from, to, this.options.chunkMs)) {
      const list = this.chunks.get(`${cameraId}/${start}`)?.detections;
      if (list) candidates.push(...inWindow(list, from, to));
    }
    return nearestPerClass(candidates, instant);
  }

  /** Whether what `framesNear` answers for this instant is complete, still coming, or missing. */
  coverage(cameraId: string, instant: number, toleranceMs: number): CoverState {
    if (this.unsupported.has(cameraId)) return 'unsupported';
    let state: CoverState = 'ready';
    for (const start of chunkStarts(instant - toleranceMs, instant + toleranceMs, this.options.chunkMs)) {
      const chunk = this.chunks.get(`${cameraId}/${start}`);
      if (chunk?.detections) continue;
      if (chunk?.failed) return 'failed';
      state = 'loading';
    }
    return state;
  }

  /** Stops every request; the cache answers nothing more. */
  destroy(): void {
    this.destroyed = true;
    for (const chunk of this.chunks.values()) chunk.inFlight?.abort();
    this.chunks.clear();
  }

  private async load(chunk: Chunk): Promise<void> {
    const controller = new AbortController();
    chunk.inFlight = controller;
    const start = isoInstant(chunk.start);
    const end = isoInstant(chunk.start + this.options.chunkMs);
    const found: DetectionPage['detections'] = [];
    try {
      let cursor: string | null = null;
      for (let page = 0; page < this.options.maxPages; page += 1) {
        const answer: DetectionPage | null = await this.loadPage(chunk.cameraId, start, end, cursor, controller.signal);
        if (controller.signal.aborted) return;
        if (answer === null) {
          this.unsupported.add(chunk.cameraId);
          break;
        }
        found.push(...answer.detections);
        cursor = answer.next_cursor;
        if (!cursor) break;
      }
      chunk.detections = toTimed(found);
      chunk.failed = false;
    } catch {
      if (controller.signal.aborted) return;
      chunk.failed = true;
    } finally {
      if (chunk.inFlight === controller) chunk.inFlight = null;
    }
    chunk.answeredAt = this.options.now();
    if (!this.destroyed) this.onChange();
  }

  /** Drops the least recently used chunks beyond `maxChunks`. */
  private evict(): void {
    const excess = this.chunks.size - this.options.maxChunks;
    if (excess <= 0) return;
    const oldest = [...this.chunks.entries()].sort(([, a], [, b]) => a.lastUsed - b.lastUsed).slice(0, excess);
    for (const [key, chunk] of oldest) {
      chunk.inFlight?.abort();
      this.chunks.delete(key);
    }
  }
}
