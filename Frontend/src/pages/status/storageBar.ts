/**
 * A tier's usage bar: its disk split into the tier's footage, everything else on the disk (other
 * files, and another tier sharing the disk), and free space, with the free-space guard's reserve
 * marked where free space must not reach. Pure geometry, checked by Frontend/test/storage.test.ts.
 *
 * Invariants: the parts' fractions are each 0..1 and add up to 1; footage never shows more than
 * the disk holds beside its free space (a measurement taken between a move's copy and its
 * delete can count footage twice); `guard` is the fraction from the left where the reserve
 * begins, or null without a reserve.
 */
import type { TierStatus } from '../../api/storage';

export type BarPartKind = 'footage' | 'other' | 'free';

export interface BarPart {
  kind: BarPartKind;
  bytes: number;
  fraction: number;
}

export type BarLevel = 'ok' | 'high' | 'critical';

export interface TierBar {
  capacity: number;
  parts: BarPart[];
  /** Where the guard's reserve begins (0..1 from the left), or null. */
  guard: number | null;
  /** The guard's reserve in bytes (0 without one). */
  reserve: number;
  /** Share of the disk in use, 0..1. */
  used: number;
  /** critical: free space is below the reserve; high: within twice the reserve, or over 90 % used. */
  level: BarLevel;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function bytesOf(value: number | null | undefined): number {
  return value !== null && value !== undefined && Number.isFinite(value) ? Math.max(0, value) : 0;
}

/** The bar of a tier with a known disk size; null for a tier without one (S3, or unmeasured). */
export function tierBar(tier: Pick<TierStatus, 'capacity_bytes' | 'free_bytes' | 'used_bytes' | 'required_free_bytes'>): TierBar | null {
  const capacity = tier.capacity_bytes;
  if (capacity === null || capacity === undefined || !Number.isFinite(capacity) || capacity <= 0 || tier.free_bytes === null) return null;
  const free = Math.min(bytesOf(tier.free_bytes), capacity);
  const footage = Math.min(bytesOf(tier.used_bytes), capacity - free);
  const other = Math.max(0, capacity - free - footage);
  const parts: BarPart[] = [
    { kind: 'footage', bytes: footage, fraction: footage / capacity },
    { kind: 'other', bytes: other, fraction: other / capacity },
    { kind: 'free', bytes: free, fraction: free / capacity },
  ];
  const required = bytesOf(tier.required_free_bytes);
  const guard = required > 0 ? clamp01(1 - required / capacity) : null;
  const used = clamp01((capacity - free) / capacity);
  const level: BarLevel = required > 0 && free < required ? 'critical' : (required > 0 && free < 2 * required) || used >= 0.9 ? 'high' : 'ok';
  return { capacity, parts, guard, reserve: required, used, level };
}

/** A fraction as a CSS percentage with four decimals ("12.3457%"). */
export function percent(fraction: number): string {
  return `${(clamp01(fraction) * 100).toFixed(4)}%`;
}
