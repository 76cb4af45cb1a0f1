/**
 * Where the ruler's footage lives: each range's runs of one storage tier (hot, warm, cold) from
 * the day timeline, the runs the ruler tints (those not hot: hot keeps the ruler's usual colour),
 * and which tiers the day's legend names, with their footage. A server without storage tiers
 * sends no runs: its footage is all hot. Pure, checked by Frontend/test/playback.test.ts.
 */
import type { CameraTimeline, FootageRange, StorageTierName, TierRun } from '../../api/playback';

export const TIER_ORDER: StorageTierName[] = ['hot', 'warm', 'cold'];

/** A range's runs: the server's, or the whole range hot. */
export function rangeRuns(range: FootageRange): TierRun[] {
  return range.tiers && range.tiers.length > 0 ? range.tiers : [{ start: range.start, end: range.end, tier: 'hot' }];
}

/** The lane's runs in tiers other than hot, in time order: what the ruler draws over its ranges. */
export function tintedRuns(timeline: CameraTimeline): TierRun[] {
  return timeline.ranges.flatMap(rangeRuns).filter((run) => run.tier !== 'hot');
}

/** The tiers of a range in order of appearance, without repeats ("warm,hot"). */
export function rangeTiers(range: FootageRange): StorageTierName[] {
  return [...new Set(rangeRuns(range).map((r) => r.tier))];
}

/** Seconds of footage per tier across lanes, from the server's totals or else the runs. */
export function tierSeconds(timelines: CameraTimeline[]): Partial<Record<StorageTierName, number>> {
  const total: Partial<Record<StorageTierName, number>> = {};
  for (const timeline of timelines) {
    if (timeline.tier_seconds) {
      for (const [tier, seconds] of Object.entries(timeline.tier_seconds) as [StorageTierName, number][]) total[tier] = (total[tier] ?? 0) + seconds;
      continue;
    }
    for (const run of timeline.ranges.flatMap(rangeRuns)) {
      total[run.tier] = (total[run.tier] ?? 0) + (Date.parse(run.end) - Date.parse(run.start)) / 1000;
    }
  }
  return total;
}

/** The tiers the legend names: those holding footage today, hot-warm-cold; none without footage. */
export function legendTiers(timelines: CameraTimeline[]): { tier: StorageTierName; seconds: number }[] {
  const seconds = tierSeconds(timelines);
  return TIER_ORDER.filter((tier) => (seconds[tier] ?? 0) > 0).map((tier) => ({ tier, seconds: seconds[tier]! }));
}
