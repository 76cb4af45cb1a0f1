/** Dialog for an admin to set a new password for another user (PATCH /api/users/{id}). */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import type { User } from '../../api/types';
import { updateUser } from '../../api/users';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { MIN_PASSWORD } from './AddUserModal';
import { FormModalFooter } from '../../components/FormModalFooter';

export function ResetPasswordModal({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) return setError(`The password needs at least ${MIN_PASSWORD} characters.`);
    if (password !== repeat) return setError('The passwords do not match.');
    setBusy(true);
    setError(null);
    try {
      await updateUser(user.id, { password });
      onDone();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Reset password for ${user.username}`}
      onClose={onClose}
      busy={busy}
      size="small"
      testId="reset-password-modal"
      footer={<FormModalFooter formId="reset-password-form" busy={busy} onCancel={onClose} submitLabel="Set password" busyLabel="Saving…" submitTestId="save-password" />}
    >
      <form id="reset-password-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">{user.username} signs in with the new password from now on.</p>
        <Field label="New password" hint={`At least ${MIN_PASSWORD} characters.`}>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" autoFocus />
        </Field>
        <Field label="Repeat new password">
          <input type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" />
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
