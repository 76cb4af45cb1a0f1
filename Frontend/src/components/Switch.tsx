/** An on/off switch built on a real checkbox (keyboard and screen-reader friendly). */
interface SwitchProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Accessible name, e.g. "Recording for Porch". */
  label: string;
  disabled?: boolean;
  testId?: string;
}

export function Switch({ checked, onChange, label, disabled = false, testId }: SwitchProps) {
  return (
    <label className={`switch${disabled ? ' switch-disabled' : ''}`} title={label}>
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        aria-label={label}
        aria-checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
    </label>
  );
}
