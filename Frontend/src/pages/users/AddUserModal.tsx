/** Dialog to create a user (username, password, role); server refusals are shown inline. */
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import type { Role, User } from '../../api/types';
import { createUser } from '../../api/users';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { FormModalFooter } from '../../components/FormModalFooter';

const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
export const MIN_PASSWORD = 8;

export function AddUserModal({ onClose, onCreated }: { onClose: () => void; onCreated: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [usernameError, setUsernameError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim();
    if (!USERNAME_PATTERN.test(name)) {
      setUsernameError('1–64 letters, digits, or . _ - @');
      return;
    }
    if (password.length < MIN_PASSWORD) {
      setError(`The password needs at least ${MIN_PASSWORD} characters.`);
      return;
    }
    setBusy(true);
    setError(null);
    setUsernameError(null);
    try {
      onCreated(await createUser({ username: name, password, role }));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 409) setUsernameError(err.message);
      setError(errorMessage(err));
    }
  };

  return (
    <Modal
      title="Add user"
      onClose={onClose}
      busy={busy}
      size="small"
      testId="add-user-modal"
      footer={<FormModalFooter formId="add-user-form" busy={busy} onCancel={onClose} submitLabel="Add user" busyLabel="Adding…" submitTestId="save-user" />}
    >
      <form id="add-user-form" className="form" onSubmit={submit} noValidate>
        <Field label="Username" error={usernameError} hint="Letters, digits and . _ - @">
          <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" autoCapitalize="none" spellCheck={false} autoFocus maxLength={64} />
        </Field>
        <Field label="Password" hint={`At least ${MIN_PASSWORD} characters.`}>
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </Field>
        <Field label="Role" hint="Viewers can watch; admins can change everything.">
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
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
