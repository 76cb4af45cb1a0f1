/**
 * Per-class confidence thresholds (`pipeline.classes`): one row per class with its lowest
 * confidence kept (0 to 1), rows added and removed; a refused value is marked on its row.
 */
import type { FieldKey, ThresholdRow } from './configForm';

interface Props {
  rows: ThresholdRow[];
  onChange: (rows: ThresholdRow[]) => void;
  errors: Partial<Record<FieldKey, string>>;
  classes: string[];
  placeholder: (cls: string) => string;
  /** Viewers see the thresholds without the buttons to change them. */
  readOnly: boolean;
}

export function ThresholdEditor({ rows, onChange, errors, classes, placeholder, readOnly }: Props) {
  const update = (index: number, patch: Partial<ThresholdRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const unused = classes.find((c) => !rows.some((r) => r.cls.trim() === c)) ?? '';
  return (
    <div className="threshold-editor" data-testid="threshold-editor">
      {rows.length === 0 && <p className="muted small">No class has its own threshold: every class uses the default confidence.</p>}
      {rows.map((row, index) => {
        const cls = row.cls.trim();
        const error = errors[`threshold:${cls}`];
        return (
          <div key={index} className={`threshold-row${error ? ' field-invalid' : ''}`} data-testid="threshold-row" data-class={cls}>
            <input
              type="text"
              list="detection-classes"
              value={row.cls}
              onChange={(e) => update(index, { cls: e.target.value })}
              aria-label="Class"
              placeholder="Class"
              data-testid="threshold-class"
            />
            <input
              type="number"
              min={0.01}
              max={1}
              step={0.01}
              value={row.value}
              onChange={(e) => update(index, { value: e.target.value })}
              aria-label={`Minimum confidence for ${cls || 'this class'}`}
              aria-invalid={error ? true : undefined}
              placeholder={placeholder(cls)}
              data-testid="threshold-value"
            />
            {!readOnly && (
              <button
                type="button"
                className="button button-small"
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
                aria-label={`Remove the threshold for ${cls || 'this class'}`}
                data-testid="threshold-remove"
              >
                Remove
              </button>
            )}
            {error && (
              <div className="field-error threshold-error" data-testid="threshold-error">
                {error}
              </div>
            )}
          </div>
        );
      })}
      {errors.thresholds && <div className="field-error">{errors.thresholds}</div>}
      <datalist id="detection-classes">
        {classes.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {!readOnly && (
        <button type="button" className="button button-small" onClick={() => onChange([...rows, { cls: unused, value: '' }])} data-testid="threshold-add">
          Add a class threshold
        </button>
      )}
    </div>
  );
}
