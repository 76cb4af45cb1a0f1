/**
 * The detection settings' fields: live detection on or off, frames analysed per second, the
 * cooldown between notifications, motion sensitivity as a share of the picture, the default
 * confidence, which classes to detect and per-class thresholds. Every field left empty inherits;
 * for a camera the hints say what it inherits now (the server's `effective` settings).
 */
import type { EffectiveConfig } from '../../api/mlConfig';
import { Checkbox, Field } from '../../components/Field';
import { offeredClasses, FPS_CHOICES, type ConfigForm, type FieldKey } from './configForm';
import { ThresholdEditor } from './ThresholdEditor';

interface Props {
  form: ConfigForm;
  onChange: (form: ConfigForm) => void;
  errors: Partial<Record<FieldKey, string>>;
  /** What a camera gets now, every level merged; null for the global settings. */
  effective: EffectiveConfig | null;
  readOnly: boolean;
}

/** The number fields: what each edits, its range, and the value a camera inherits now. */
const NUMBERS: { key: 'cooldown' | 'motionPercent' | 'confidence'; label: string; min: number; max?: number; step: number; unit: string; testId: string; inherited: (e: EffectiveConfig) => number }[] = [
  { key: 'cooldown', label: 'Cooldown (seconds)', min: 0, step: 1, unit: ' s', testId: 'config-cooldown', inherited: (e) => e.cooldown_seconds },
  { key: 'motionPercent', label: 'Motion sensitivity (% of the picture)', min: 0, max: 100, step: 0.01, unit: ' %', testId: 'config-motion', inherited: (e) => e.motion_min_changed_fraction * 100 },
  { key: 'confidence', label: 'Default confidence', min: 0.01, max: 1, step: 0.01, unit: '', testId: 'config-confidence', inherited: (e) => e.confidence },
];

function figure(value: number): string {
  return String(Number(value.toPrecision(6)));
}

export function ConfigFields({ form, onChange, errors, effective, readOnly }: Props) {
  const set = (patch: Partial<ConfigForm>) => onChange({ ...form, ...patch });
  const from = effective ? 'Empty inherits the global setting' : 'Empty keeps the server’s setting';
  const now = (text: string) => (effective ? `${from} (now ${text}).` : `${from}.`);
  const fpsChoices = form.fps && !FPS_CHOICES.includes(form.fps) ? [...FPS_CHOICES, form.fps] : FPS_CHOICES;
  const classes = offeredClasses(form);
  const toggleClass = (cls: string, on: boolean) => set({ classFilter: on ? [...form.classFilter, cls] : form.classFilter.filter((c) => c !== cls) });

  return (
    <>
      <div className="form-grid">
        <Field label="Live detection" error={errors.liveEnabled} hint={now(effective?.live_enabled ? 'on' : 'off')}>
          <select value={form.liveEnabled} onChange={(e) => set({ liveEnabled: e.target.value as ConfigForm['liveEnabled'] })} data-testid="config-live">
            <option value="inherit">Inherit</option>
            <option value="on">On</option>
            <option value="off">Off</option>
          </select>
        </Field>
        <Field label="Frames per second" error={errors.fps} hint={now(effective ? `${figure(effective.fps)} fps` : '')}>
          <select value={form.fps} onChange={(e) => set({ fps: e.target.value })} data-testid="config-fps">
            <option value="">Inherit</option>
            {fpsChoices.map((fps) => (
              <option key={fps} value={fps}>
                {fps} per second
              </option>
            ))}
          </select>
        </Field>
        {NUMBERS.map((n) => {
          const inherited = effective ? n.inherited(effective) : null;
          return (
            <Field key={n.key} label={n.label} error={errors[n.key]} hint={now(inherited === null ? '' : `${figure(inherited)}${n.unit}`)}>
              <input
                type="number"
                min={n.min}
                max={n.max}
                step={n.step}
                value={form[n.key]}
                onChange={(e) => set({ [n.key]: e.target.value })}
                placeholder={inherited === null ? 'Inherit' : figure(inherited)}
                data-testid={n.testId}
              />
            </Field>
          );
        })}
      </div>
      <fieldset className={`config-classes${errors.classFilter ? ' field-invalid' : ''}`} data-testid="config-classes">
        <legend>Classes to detect</legend>
        <div className="class-choices">
          {classes.map((cls) => (
            <Checkbox key={cls} label={cls} checked={form.classFilter.includes(cls)} onChange={(on) => toggleClass(cls, on)} testId={`config-class-${cls}`} />
          ))}
        </div>
        <div className="field-hint">
          {form.classFilter.length === 0 ? `None chosen: ${effective?.class_filter ? `inherits ${effective.class_filter.join(', ')}` : 'every class the model knows'}.` : `Only ${form.classFilter.join(', ')}.`}
        </div>
        {errors.classFilter && <div className="field-error">{errors.classFilter}</div>}
      </fieldset>
      <fieldset className="config-thresholds">
        <legend>Confidence per class</legend>
        <ThresholdEditor
          rows={form.thresholds}
          onChange={(thresholds) => set({ thresholds })}
          errors={errors}
          classes={classes}
          placeholder={(cls) => (effective && cls && effective.classes[cls] !== undefined ? figure(effective.classes[cls]) : '0 to 1')}
          readOnly={readOnly}
        />
      </fieldset>
    </>
  );
}
