/**
 * Form building blocks: a labelled field wrapper (label, control, hint, error) and a labelled
 * checkbox. The control gets its id from the wrapper so every input has a real <label>.
 */
import { useId, type ReactElement, type ReactNode, cloneElement } from 'react';

interface FieldProps {
  label: string;
  /** The single input/select/textarea element. */
  children: ReactElement;
  hint?: ReactNode;
  error?: string | null;
  className?: string;
}

export function Field({ label, children, hint, error, className }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
  });
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ' ' + className : ''}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={errorId}>
          {error}
        </div>
      )}
    </div>
  );
}

interface CheckboxProps {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
  disabled?: boolean;
  name?: string;
  testId?: string;
}

export function Checkbox({ label, checked, onChange, hint, disabled, name, testId }: CheckboxProps) {
  const id = useId();
  return (
    <div className="checkbox">
      <input
        id={id}
        type="checkbox"
        name={name}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      <label htmlFor={id}>
        {label}
        {hint && <span className="checkbox-hint">{hint}</span>}
      </label>
    </div>
  );
}
