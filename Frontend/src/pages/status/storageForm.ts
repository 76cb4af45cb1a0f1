/**
 * The storage policy forms and the manual move, both ways: the global policy (retention age and
 * size, hot and warm limits, the free space every disk keeps) and a camera's own retention and
 * storage priority, as text fields where empty inherits (camera ← global ← environment); what
 * is in force beside an empty field; which field a 422 names (`hot_max_age: '7x' is not a
 * duration…`); and the move's "recorded before" instant from a local date-time field. Values go
 * to the server as written: it alone decides what parses. Pure, checked by
 * Frontend/test/storage.test.ts.
 */
import type { CameraStorageDocument, StorageLimits, StoragePolicy, StoragePolicyDocument, TierName, TierStatus } from '../../api/storage';
import { formatAge, formatGB, TIERS } from './storageFormat';

export type PolicyKey = keyof StoragePolicyDocument;
export type CameraKey = keyof CameraStorageDocument;

export interface FieldSpec<K extends string> {
  key: K;
  label: string;
  kind: 'age' | 'gb' | 'priority';
  placeholder: string;
}

/** The global policy's fields, in groups as the form shows them. */
export const POLICY_GROUPS: { title: string; tier?: TierName; fields: FieldSpec<PolicyKey>[] }[] = [
  {
    title: 'Retention (all tiers)',
    fields: [
      { key: 'retention_max_age', label: 'Keep footage for', kind: 'age', placeholder: 'e.g. 30d' },
      { key: 'retention_max_gb', label: 'Keep at most (GB)', kind: 'gb', placeholder: 'e.g. 2000' },
    ],
  },
  {
    title: 'Hot storage',
    tier: 'hot',
    fields: [
      { key: 'hot_max_age', label: 'Hot for at most', kind: 'age', placeholder: 'e.g. 7d' },
      { key: 'hot_max_gb', label: 'Hot at most (GB)', kind: 'gb', placeholder: 'e.g. 500' },
      { key: 'hot_min_age', label: 'Hot for at least', kind: 'age', placeholder: 'e.g. 1h' },
    ],
  },
  {
    title: 'Warm storage',
    tier: 'warm',
    fields: [
      { key: 'warm_max_age', label: 'Warm for at most', kind: 'age', placeholder: 'e.g. 30d' },
      { key: 'warm_max_gb', label: 'Warm at most (GB)', kind: 'gb', placeholder: 'e.g. 4000' },
    ],
  },
  {
    title: 'Free space',
    fields: [{ key: 'min_free_gb', label: 'Every disk keeps free (GB)', kind: 'gb', placeholder: 'e.g. 5' }],
  },
];

export const POLICY_KEYS: PolicyKey[] = POLICY_GROUPS.flatMap((g) => g.fields.map((f) => f.key));

export const CAMERA_FIELDS: FieldSpec<CameraKey>[] = [
  { key: 'retention_max_age', label: 'Keep this camera’s footage for', kind: 'age', placeholder: 'e.g. 14d' },
  { key: 'retention_max_gb', label: 'Keep at most (GB)', kind: 'gb', placeholder: 'e.g. 200' },
  { key: 'priority', label: 'Storage priority (0–100)', kind: 'priority', placeholder: '50' },
];

export const CAMERA_KEYS: CameraKey[] = CAMERA_FIELDS.map((f) => f.key);

export type PolicyForm = Record<PolicyKey, string>;
export type CameraForm = Record<CameraKey, string>;

/** The stored document as the form's text (missing and null are empty). */
export function policyForm(document: StoragePolicyDocument | null | undefined): PolicyForm {
  return Object.fromEntries(POLICY_KEYS.map((key) => [key, document?.[key] ?? ''])) as PolicyForm;
}

/** The document to PUT: every key (it replaces the stored one), trimmed, empty as null. */
export function policyDocument(form: PolicyForm): StoragePolicyDocument {
  return Object.fromEntries(POLICY_KEYS.map((key) => [key, form[key].trim() || null])) as StoragePolicyDocument;
}

export function cameraForm(document: CameraStorageDocument | null | undefined): CameraForm {
  const priority = document?.priority;
  return {
    retention_max_age: document?.retention_max_age ?? '',
    retention_max_gb: document?.retention_max_gb ?? '',
    priority: priority === null || priority === undefined ? '' : String(priority),
  };
}

/** A camera's document to PUT: a priority that reads as a number goes as one, anything else as written (the server names what it refuses). */
export function cameraDocument(form: CameraForm): CameraStorageDocument {
  const priority = form.priority.trim();
  return {
    retention_max_age: form.retention_max_age.trim() || null,
    retention_max_gb: form.retention_max_gb.trim() || null,
    priority: priority === '' ? null : /^[-+]?\d+(\.\d+)?$/.test(priority) ? Number(priority) : priority,
  };
}

/** A refusal's field and what is wrong with it, when the message names one of `keys`. */
export function refusedField<K extends string>(message: string, keys: readonly K[]): { field: K; message: string } | null {
  const match = /^\s*([a-z_]+)\s*:\s*([\s\S]*)$/.exec(message);
  if (!match || !(keys as readonly string[]).includes(match[1])) return null;
  return { field: match[1] as K, message: match[2].trim() || message };
}

function limitValue(limits: StorageLimits, kind: 'age' | 'gb' | 'min'): string | null {
  if (kind === 'age') return limits.max_age_seconds === null ? null : formatAge(limits.max_age_seconds);
  if (kind === 'gb') return limits.max_bytes === null ? null : formatGB(limits.max_bytes);
  return limits.min_age_seconds === null ? null : formatAge(limits.min_age_seconds);
}

/** What is in force for a global field, written as the settings spell it ("7d", "0.5 GB"), or null for no limit. */
export function inForce(key: PolicyKey, policy: StoragePolicy): string | null {
  switch (key) {
    case 'retention_max_age':
      return limitValue(policy.effective, 'age');
    case 'retention_max_gb':
      return limitValue(policy.effective, 'gb');
    case 'hot_max_age':
      return limitValue(policy.hot, 'age');
    case 'hot_max_gb':
      return limitValue(policy.hot, 'gb');
    case 'hot_min_age':
      return limitValue(policy.hot, 'min');
    case 'warm_max_age':
      return limitValue(policy.warm, 'age');
    case 'warm_max_gb':
      return limitValue(policy.warm, 'gb');
    case 'min_free_gb':
      return formatGB(policy.min_free_bytes);
  }
}

/** The hint under an empty field: what it inherits, and from where. */
export function inheritHint(value: string | null, from: string): string {
  return `Empty: ${value ?? 'no limit'} (${from})`;
}

/** Tiers footage may be moved to by hand: the configured ones below hot. */
export function moveTargets(tiers: Pick<TierStatus, 'tier' | 'configured'>[]): TierName[] {
  return TIERS.filter((t) => t !== 'hot' && tiers.some((s) => s.tier === t && s.configured));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An instant as a `<input type="datetime-local">` value in the browser's time: "2026-12-07T10:30". */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (seconds optional) as the instant it names in the browser's time, or null. */
export function parseLocalInput(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return null;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(y, mo - 1, d, h, mi, s);
  // A date that rolled over (February 30th) was not a date.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.getTime();
}

/** What keeps a move from being asked for, or null. */
export function moveProblem(cameraIds: string[], before: string, tier: TierName | ''): string | null {
  if (cameraIds.length === 0) return 'Choose at least one camera.';
  if (cameraIds.length > 64) return 'Choose at most 64 cameras at a time.';
  if (parseLocalInput(before) === null) return 'Give the date and time footage was recorded before.';
  if (tier === '') return 'Choose where the footage goes.';
  return null;
}
