/**
 * The chart of storage used over time (GET /api/storage/history, a sample per tier every five
 * minutes) as plain SVG geometry: one line per tier in pixel coordinates, broken where samples
 * are missing (the server was off), at most one point per pixel column, a byte axis in round
 * steps (1, 2, 2.5, 5 × 10^n) and a time axis in the viewer's local time. Pure, checked by
 * Frontend/test/storage.test.ts.
 */
import type { StorageSample, TierName } from '../../api/storage';
import { formatBytes } from '../../util/format';
import { addDays } from '../playback/calendarMonth';
import { localDate, localTicks, localTime, startOfLocalDay } from '../playback/zoneTime';
import { TIERS } from './storageFormat';

/** The SVG's size and the room kept for the axes' labels, in CSS pixels. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface ChartPoint {
  x: number;
  y: number;
  at: number;
  bytes: number;
}

export interface ChartLine {
  tier: TierName;
  /** SVG path data: "M x y L x y …", a new "M" after each break. */
  path: string;
  /** Points that stand alone between breaks (drawn as dots: a path of one point shows nothing). */
  dots: ChartPoint[];
  points: ChartPoint[];
  last: ChartPoint | null;
}

export interface ChartTick {
  /** Pixel position along its axis. */
  pos: number;
  label: string;
}

export interface ChartGeometry {
  lines: ChartLine[];
  yTicks: ChartTick[];
  xTicks: ChartTick[];
  yMax: number;
  empty: boolean;
}

/** Samples come every five minutes; a hole longer than this breaks the line. */
export const BREAK_AFTER_MS = 15 * 60_000;
const HOUR = 3600_000;
const HOUR_STEPS_MS = [1, 2, 3, 6, 12].map((h) => h * HOUR);
const DAY_STEPS = [1, 2, 7, 14, 30];

/** Half a time label's width: a tick closer than this to the box's edge goes without one. */
export const EDGE_ROOM_PX = 20;

/** Bytes on the axis, without trailing zeros: "50 GB", "2.5 GB", "0". */
export function axisBytes(bytes: number): string {
  if (bytes === 0) return '0';
  return formatBytes(bytes).replace(/\.0+ /, ' ').replace(/(\.\d*?)0+ /, '$1 ');
}

/** The smallest round step (1, 2, 2.5, 5 × 10^n) that covers `max` in at most `count` steps. */
export function niceStep(max: number, count: number): number {
  if (!(max > 0) || count < 1) return 1;
  const raw = max / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  }
  return 10 * magnitude;
}

/** Each tier's samples as (instant, bytes), oldest first, tiers in hot-warm-cold order. */
export function seriesOf(samples: StorageSample[]): { tier: TierName; points: { at: number; bytes: number }[] }[] {
  const byTier = new Map<TierName, { at: number; bytes: number }[]>();
  for (const s of samples) {
    const at = Date.parse(s.at);
    if (Number.isNaN(at) || !Number.isFinite(s.used_bytes)) continue;
    const list = byTier.get(s.tier) ?? [];
    list.push({ at, bytes: Math.max(0, s.used_bytes) });
    byTier.set(s.tier, list);
  }
  return TIERS.filter((t) => byTier.has(t)).map((tier) => ({ tier, points: byTier.get(tier)!.sort((a, b) => a.at - b.at) }));
}

/** Local-time ticks over [from, to] for a plot `plotWidth` pixels wide, about one per `minPixels`. */
export function timeTicks(from: number, to: number, plotWidth: number, tz: string, minPixels = 80): { at: number; label: string }[] {
  if (!(to > from)) return [];
  const maxTicks = Math.max(2, Math.floor(plotWidth / minPixels));
  const span = to - from;
  const dayLabel = (ms: number) => new Intl.DateTimeFormat('en-US', { timeZone: tz, month: 'short', day: 'numeric' }).format(new Date(ms));
  const hourStep = HOUR_STEPS_MS.find((step) => span / step <= maxTicks);
  if (hourStep !== undefined) {
    return localTicks(from, to, hourStep, tz).map((at) => {
      const time = localTime(at, tz, false);
      return { at, label: time === '00:00' ? dayLabel(at) : time };
    });
  }
  const days = DAY_STEPS.find((d) => span / (d * 24 * HOUR) <= maxTicks) ?? DAY_STEPS[DAY_STEPS.length - 1];
  const ticks: { at: number; label: string }[] = [];
  const epochDay = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / (24 * HOUR));
  for (let date = localDate(from, tz); ; date = addDays(date, 1)) {
    const at = startOfLocalDay(date, tz);
    if (at > to) break;
    if (at >= from && epochDay(date) % days === 0) ticks.push({ at, label: dayLabel(at) });
  }
  return ticks;
}

/** The chart's geometry for samples over [from, to] in a box, with time labels in `tz`. */
export function chartGeometry(samples: StorageSample[], from: number, to: number, box: ChartBox, tz: string): ChartGeometry {
  const plotW = Math.max(1, box.width - box.left - box.right);
  const plotH = Math.max(1, box.height - box.top - box.bottom);
  const series = seriesOf(samples).map((s) => ({ ...s, points: s.points.filter((p) => p.at >= from && p.at <= to) }));
  // A loop, not Math.max(...): 90 days of samples are too many arguments for one call.
  let highest = 0;
  for (const s of series) for (const p of s.points) highest = Math.max(highest, p.bytes);
  const step = niceStep(highest > 0 ? highest : 1e9, 4);
  const yMax = Math.max(step, Math.ceil(highest / step - 1e-9) * step);
  const x = (at: number) => box.left + ((at - from) / (to - from)) * plotW;
  const y = (bytes: number) => box.top + (1 - bytes / yMax) * plotH;
  const round = (v: number) => Math.round(v * 10) / 10;

  const lines: ChartLine[] = series.map(({ tier, points }) => {
    // Breaks first, from the samples as taken; then one point per pixel column within each run
    // (its first, and then each column's last), so 90 days of samples stay a few hundred points.
    const runs: ChartPoint[][] = [];
    let previousAt = -Infinity;
    for (const p of points) {
      const point = { x: round(x(p.at)), y: round(y(p.bytes)), at: p.at, bytes: p.bytes };
      const run = runs[runs.length - 1];
      if (!run || p.at - previousAt > BREAK_AFTER_MS) runs.push([point]);
      else if (run.length > 1 && Math.floor(run[run.length - 1].x) === Math.floor(point.x)) run[run.length - 1] = point;
      else run.push(point);
      previousAt = p.at;
    }
    const kept = runs.flat();
    const path = runs.map((run) => run.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ')).join(' ');
    return { tier, path, dots: runs.filter((r) => r.length === 1).map((r) => r[0]), points: kept, last: kept[kept.length - 1] ?? null };
  });

  const yTicks: ChartTick[] = [];
  for (let v = 0; v <= yMax * (1 + 1e-9); v += step) yTicks.push({ pos: round(y(v)), label: axisBytes(v) });
  // A label centred on a tick this close to the box's edge would be cut off.
  const xTicks = timeTicks(from, to, plotW, tz)
    .map((t) => ({ pos: round(x(t.at)), label: t.label }))
    .filter((t) => t.pos >= EDGE_ROOM_PX && t.pos <= box.width - EDGE_ROOM_PX);
  return { lines, yTicks, xTicks, yMax, empty: lines.every((l) => l.points.length === 0) };
}
