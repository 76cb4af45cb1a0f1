/** Dialog for changing the signed-in user's own password (POST /api/auth/password). */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { Field } from './Field';
import { Modal } from './Modal';
import { useToasts } from './Toasts';
import { FormModalFooter } from './FormModalFooter';

const MIN_LENGTH = 8;

export function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const { changePassword } = useAuth();
  const toasts = useToasts();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const mismatch = repeat.length > 0 && next !== repeat;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next.length < MIN_LENGTH) return setError(`The new password needs at least ${MIN_LENGTH} characters.`);
    if (next !== repeat) return setError('The new passwords do not match.');
    setBusy(true);
    setError(null);
    try {
      await changePassword(current, next);
      toasts.show('Password changed.');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Change password"
      onClose={onClose}
      busy={busy}
      size="small"
      testId="change-password-modal"
      footer={<FormModalFooter formId="change-password-form" busy={busy} onCancel={onClose} submitLabel="Change password" busyLabel="Saving…" />}
    >
      <form id="change-password-form" className="form" onSubmit={submit} noValidate>
        <Field label="Current password">
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoFocus />
        </Field>
        <Field label="New password" hint={`At least ${MIN_LENGTH} characters.`}>
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={MIN_LENGTH} />
        </Field>
        <Field label="Repeat new password" error={mismatch ? 'Does not match.' : null}>
          <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
        </Field>
        {error && (
          <p className="form-error" role="alert" data-testid="form-error">
            {error}
          </p>
        )}
      </form>
    </Modal>
  );
}
