/**
 * The detection settings form and the stored configuration, both ways. Every field may be left
 * empty to inherit (camera ← global ← environment); motion sensitivity is shown as a percentage
 * of the picture (`pipeline.motion.min_changed_fraction` 0.002 = 0.2 %); keys of the pipeline
 * JSON the form does not show (tracker, activity, …) are kept as stored. A 422 message names the
 * field it refuses (`pipeline.classes.person must be between 0.01 and 1`); `fieldOfError` says
 * which of the form's fields that is. Pure functions, checked by Frontend/test/events.test.ts.
 */
import type { DetectionConfig, PipelineConfig } from '../../api/mlConfig';

export type LiveChoice = 'inherit' | 'on' | 'off';

export interface ThresholdRow {
  cls: string;
  value: string;
}

export interface ConfigForm {
  liveEnabled: LiveChoice;
  /** "" inherits; "1" or "2" (another stored rate is kept as it is). */
  fps: string;
  /** Classes to detect; none chosen inherits. */
  classFilter: string[];
  /** Default confidence 0..1; "" inherits. */
  confidence: string;
  thresholds: ThresholdRow[];
  /** Share of the picture that must change, in percent; "" inherits. */
  motionPercent: string;
  cooldown: string;
}

/** A form field a message can point at: a key of ConfigForm, or `threshold:<class>`. */
export type FieldKey = keyof ConfigForm | `threshold:${string}`;

/** The classes offered as switches, beside any the stored settings name. */
export const COMMON_CLASSES = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck', 'bird', 'cat', 'dog'];

export const FPS_CHOICES = ['1', '2'];

/** A figure without float noise: 0.1 * 3 -> 0.3. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

function text(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(tidy(value)) : '';
}

export function formFromConfig(config: DetectionConfig): ConfigForm {
  const pipeline: PipelineConfig = config.pipeline ?? {};
  const fraction = pipeline.motion?.min_changed_fraction;
  return {
    liveEnabled: config.live_enabled === null || config.live_enabled === undefined ? 'inherit' : config.live_enabled ? 'on' : 'off',
    fps: text(pipeline.fps),
    classFilter: [...(pipeline.class_filter ?? [])],
    confidence: text(pipeline.confidence),
    thresholds: Object.entries(pipeline.classes ?? {}).map(([cls, value]) => ({ cls, value: text(value) })),
    motionPercent: typeof fraction === 'number' ? text(fraction * 100) : '',
    cooldown: text(config.cooldown_seconds),
  };
}

/** Fields whose text is not a number (the server judges the ranges). */
export function formProblems(form: ConfigForm): Partial<Record<FieldKey, string>> {
  const problems: Partial<Record<FieldKey, string>> = {};
  const numeric = (key: FieldKey, value: string) => {
    if (value.trim() !== '' && !Number.isFinite(Number(value))) problems[key] = 'Enter a number, or leave it empty to inherit.';
  };
  numeric('fps', form.fps);
  numeric('confidence', form.confidence);
  numeric('motionPercent', form.motionPercent);
  numeric('cooldown', form.cooldown);
  const named = new Set<string>();
  for (const row of form.thresholds) {
    const cls = row.cls.trim();
    if (!cls) problems.thresholds = 'Every threshold needs a class name.';
    else if (named.has(cls)) problems.thresholds = `${cls} has two thresholds.`;
    else if (row.value.trim() === '') problems[`threshold:${cls}`] = 'Enter a confidence between 0 and 1.';
    else numeric(`threshold:${cls}`, row.value);
    named.add(cls);
  }
  return problems;
}

function number(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

/** The stored configuration with the form's fields written over `base` (other keys kept). */
export function configFromForm(form: ConfigForm, base: DetectionConfig): DetectionConfig {
  const pipeline: PipelineConfig = { ...(base.pipeline ?? {}) };
  const set = (key: string, value: unknown) => {
    if (value === undefined) delete pipeline[key];
    else pipeline[key] = value;
  };
  set('fps', number(form.fps));
  set('confidence', number(form.confidence));
  set('class_filter', form.classFilter.length > 0 ? [...form.classFilter] : undefined);
  const thresholds: Record<string, number> = {};
  for (const row of form.thresholds) thresholds[row.cls.trim()] = Number(row.value);
  set('classes', form.thresholds.length > 0 ? thresholds : undefined);
  const motion: Record<string, unknown> = { ...(base.pipeline?.motion ?? {}) };
  const percent = number(form.motionPercent);
  if (percent === undefined) delete motion.min_changed_fraction;
  else motion.min_changed_fraction = tidy(percent / 100);
  set('motion', Object.keys(motion).length > 0 ? motion : undefined);
  return {
    live_enabled: form.liveEnabled === 'inherit' ? null : form.liveEnabled === 'on',
    cooldown_seconds: number(form.cooldown) ?? null,
    pipeline,
  };
}

/** The classes the switches offer: the common ones, then any other the form names. */
export function offeredClasses(form: ConfigForm): string[] {
  const extra = [...form.classFilter, ...form.thresholds.map((r) => r.cls.trim())].filter((c) => c && !COMMON_CLASSES.includes(c));
  return [...COMMON_CLASSES, ...new Set(extra)];
}

/** Which field a server message is about, or null when it names none of the form's. */
export function fieldOfError(message: string, form: ConfigForm): FieldKey | null {
  for (const row of form.thresholds) {
    const cls = row.cls.trim();
    if (cls && message.includes(`pipeline.classes.${cls}`)) return `threshold:${cls}`;
  }
  const rules: [RegExp, FieldKey][] = [
    [/\blive_enabled\b/, 'liveEnabled'],
    [/\bcooldown_seconds\b/, 'cooldown'],
    [/\bpipeline\.fps\b|\blive fps\b/, 'fps'],
    [/\bpipeline\.confidence\b/, 'confidence'],
    [/\bpipeline\.class_filter\b/, 'classFilter'],
    [/\bpipeline\.classes\b/, 'thresholds'],
    [/\bpipeline\.motion\.min_changed_fraction\b/, 'motionPercent'],
  ];
  return rules.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}
