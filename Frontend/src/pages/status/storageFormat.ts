/**
 * The Storage section's words and numbers: tier names, ages written as the settings spell them
 * (90s, 12h, 7d), sizes in GB, days held, each tier's policy and the retention as sentences,
 * why footage was deleted, and a deleted span in local time. Pure functions, checked by
 * Frontend/test/storage.test.ts.
 */
import type { StorageLimits, TierName, TierStatus } from '../../api/storage';
import { formatBytes, formatDuration } from '../../util/format';

export const TIERS: TierName[] = ['hot', 'warm', 'cold'];

const TIER_LABELS: Record<TierName, string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };

/** "Hot", "Warm", "Cold"; an unknown tier as written. */
export function tierLabel(tier: string): string {
  return TIER_LABELS[tier as TierName] ?? tier;
}

/** What each tier is, in a few words. */
export function tierRole(tier: string): string {
  switch (tier) {
    case 'hot':
      return 'where cameras record';
    case 'warm':
      return 'a larger, slower disk';
    case 'cold':
      return 'an S3 bucket';
    default:
      return '';
  }
}

/** The setting that configures a tier, for a tier this server does not have. */
export function tierSetting(tier: string): string {
  return tier === 'warm' ? 'WARM_STORAGE_PATH' : tier === 'cold' ? 'COLD_STORAGE_S3_BUCKET' : 'STORAGE_ROOT';
}

const AGE_UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/**
 * An age limit the way the settings spell one: the largest unit it is a whole number of
 * (604800 -> "7d", 129600 -> "36h", 90 -> "90s"); fractions of a second are rounded.
 */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const whole = Math.max(0, Math.round(seconds));
  if (whole === 0) return '0s';
  for (const [unit, size] of AGE_UNITS) {
    if (whole % size === 0) return `${whole / size}${unit}`;
  }
  return `${whole}s`;
}

/** A number without float noise or trailing zeros, at most `digits` decimals: 0.30000000004 -> "0.3". */
export function trimNumber(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

/** Bytes as the GB the settings are written in: 500000000 -> "0.5 GB". */
export function formatGB(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  return `${trimNumber(bytes / 1e9, bytes < 1e7 ? 4 : 2)} GB`;
}

/**
 * Days of footage: "12 days", "1.5 days", "1 day", under a day as a duration ("5h 12m"); null
 * "—". The server gives days to 0.01 (about 15 minutes), so 0 reads "under 15 min".
 */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return '—';
  if (days <= 0) return 'under 15 min';
  if (days < 1) return formatDuration(days * 86_400);
  const shown = days >= 10 ? String(Math.round(days)) : trimNumber(days, 1);
  return `${shown} ${shown === '1' ? 'day' : 'days'}`;
}

/** A camera's recording rate as footage per day: "8.64 GB a day". */
export function formatDailyRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return 'none measured';
  return `${formatBytes(bytesPerSecond * 86_400)} a day`;
}

/** The limit's parts in words: ["after 7d", "beyond 500 GB"]. */
function limitParts(limits: StorageLimits): string[] {
  const parts: string[] = [];
  if (limits.max_age_seconds !== null) parts.push(`after ${formatAge(limits.max_age_seconds)}`);
  if (limits.max_bytes !== null) parts.push(`beyond ${formatGB(limits.max_bytes)}`);
  return parts;
}

/** The next configured tier below `tier`, or null (footage leaving it is deleted). */
export function nextTier(tier: TierName, tiers: Pick<TierStatus, 'tier' | 'configured'>[]): TierName | null {
  const below = TIERS.slice(TIERS.indexOf(tier) + 1);
  return below.find((t) => tiers.some((s) => s.tier === t && s.configured)) ?? null;
}

/**
 * What a tier's policy does, as a sentence: "Moves to warm after 7d or beyond 500 GB; stays hot
 * at least 1h", "Deleted after 30d", "No age or size limit of its own". Cold has no limits of
 * its own: retention ends its footage.
 */
export function policySentence(tier: TierName, limits: StorageLimits, next: TierName | null): string {
  if (tier === 'cold') return 'Kept until the retention ends it';
  const parts = limitParts(limits);
  let sentence = parts.length === 0 ? 'No age or size limit of its own' : `${next ? `Moves to ${next}` : 'Deleted'} ${parts.join(' or ')}`;
  if (tier === 'hot' && limits.min_age_seconds !== null) sentence += `; stays hot at least ${formatAge(limits.min_age_seconds)}`;
  return sentence;
}

/** The retention as a sentence: "Footage ends after 30d or beyond 2000 GB", or that it is kept until space runs short. */
export function retentionSentence(limits: StorageLimits): string {
  const parts = limitParts(limits);
  return parts.length === 0 ? 'Footage is kept until space runs short' : `Footage ends ${parts.join(' or ')}`;
}

/** A camera's retention, short: "30d · 2 GB", or "Until space runs short". */
export function retentionShort(limits: StorageLimits): string {
  const parts: string[] = [];
  if (limits.max_age_seconds !== null) parts.push(formatAge(limits.max_age_seconds));
  if (limits.max_bytes !== null) parts.push(formatGB(limits.max_bytes));
  return parts.length === 0 ? 'Until space runs short' : parts.join(' · ');
}

const REASONS: Record<string, string> = {
  age: 'Older than the retention',
  size: 'Over the retention size',
  free_space: 'To keep disk space free',
  tier_age: 'Past its tier’s age, no tier below',
  tier_size: 'Over its tier’s size, no tier below',
  manual: 'Deleted by hand',
};

/** Why footage was deleted, in words; an unknown reason as written. */
export function reasonLabel(reason: string): string {
  return REASONS[reason] ?? reason;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function localParts(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` };
}

/** A span in local time: "2026-12-07 10:15:00–10:30:00", the end's date only when it differs. */
export function formatSpan(startIso: string, endIso: string): string {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (Number.isNaN(start) || Number.isNaN(end)) return `${startIso}–${endIso}`;
  const a = localParts(start);
  const b = localParts(end);
  return `${a.date} ${a.time}–${a.date === b.date ? b.time : `${b.date} ${b.time}`}`;
}
