/**
 * User administration (admins only): list, add, change role, reset password, delete with
 * confirmation. The server's refusals (deleting yourself, demoting the last admin) are shown as
 * it words them.
 */
import { useCallback, useState } from 'react';
import { errorMessage } from '../api/client';
import type { Role, User } from '../api/types';
import { deleteUser, listUsers, updateUser } from '../api/users';
import { useAuth } from '../auth/AuthContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import { ErrorState, LoadingState } from '../components/Status';
import { useToasts } from '../components/Toasts';
import { useResource } from '../hooks/useResource';
import { formatDateTime } from '../util/dates';
import { AddUserModal } from './users/AddUserModal';
import { ResetPasswordModal } from './users/ResetPasswordModal';

type Dialog = { kind: 'none' } | { kind: 'add' } | { kind: 'reset'; user: User } | { kind: 'delete'; user: User };

export function UsersPage() {
  const { user: me, recheck } = useAuth();
  const toasts = useToasts();
  const load = useCallback((signal: AbortSignal) => listUsers(signal), []);
  const { data, error, loading, reload, setData } = useResource(load);
  const [dialog, setDialog] = useState<Dialog>({ kind: 'none' });
  const [pendingRole, setPendingRole] = useState<string | null>(null);

  const close = () => setDialog({ kind: 'none' });
  const replace = (user: User) => setData((list) => (list ? list.map((u) => (u.id === user.id ? user : u)) : list));

  const changeRole = async (user: User, role: Role) => {
    if (role === user.role) return;
    setPendingRole(user.id);
    try {
      replace(await updateUser(user.id, { role }));
      toasts.show(`${user.username} is now ${role === 'admin' ? 'an admin' : 'a viewer'}.`);
      if (user.id === me?.id) recheck();
    } catch (err) {
      toasts.show(`Could not change the role of ${user.username}: ${errorMessage(err)}`, 'error');
    } finally {
      setPendingRole(null);
    }
  };

  const renderBody = () => {
    if (loading && !data) return <LoadingState text="Loading users…" />;
    if (!data) return <ErrorState title="Could not load the users" message={error ?? 'Unknown error.'} onRetry={() => void reload()} />;
    const users = [...data].sort((a, b) => a.username.localeCompare(b.username));
    return (
      <DataTable className="user-table" testId="user-table" columns={[{ label: 'Username' }, { label: 'Role' }, { label: 'Created' }, { label: 'Actions', hidden: true }]}>
        {users.map((user) => (
          <tr key={user.id} data-testid="user-row" data-username={user.username} data-role={user.role}>
            <td data-label="Username">
              <span className="cell-title">{user.username}</span>
              {user.id === me?.id && <span className="badge badge-muted you-badge">you</span>}
            </td>
            <td data-label="Role">
              <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                Role of {user.username}
              </label>
              <select
                id={`role-${user.id}`}
                className="compact-select"
                value={user.role}
                disabled={pendingRole === user.id}
                onChange={(e) => void changeRole(user, e.target.value as Role)}
                data-testid="user-role"
              >
                <option value="admin">admin</option>
                <option value="viewer">viewer</option>
              </select>
            </td>
            <td data-label="Created" className="muted">
              {formatDateTime(user.created_at)}
            </td>
            <td className="actions-cell">
              <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'reset', user })} data-testid="reset-password">
                Reset password
              </button>
              <button type="button" className="button button-small button-danger-ghost" onClick={() => setDialog({ kind: 'delete', user })} data-testid="delete-user">
                Delete
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    );
  };

  return (
    <main className="page" data-testid="users-page">
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="page-subtitle">Admins manage cameras and users; viewers can only watch.</p>
        </div>
        <div className="toolbar">
          <button type="button" className="button button-primary" onClick={() => setDialog({ kind: 'add' })} data-testid="add-user">
            Add user
          </button>
        </div>
      </div>

      {renderBody()}

      {dialog.kind === 'add' && (
        <AddUserModal
          onClose={close}
          onCreated={(user) => {
            setData((list) => (list ? [...list, user] : [user]));
            close();
            toasts.show(`User ${user.username} added.`);
          }}
        />
      )}
      {dialog.kind === 'reset' && (
        <ResetPasswordModal
          user={dialog.user}
          onClose={close}
          onDone={() => {
            close();
            toasts.show(`Password of ${dialog.user.username} changed.`);
          }}
        />
      )}
      {dialog.kind === 'delete' && (
        <ConfirmDialog
          title="Delete user"
          confirmLabel="Delete user"
          onClose={close}
          onConfirm={async () => {
            const { user } = dialog;
            await deleteUser(user.id);
            setData((list) => (list ? list.filter((u) => u.id !== user.id) : list));
            close();
            toasts.show(`User ${user.username} deleted.`);
          }}
        >
          <p>
            Delete the user <strong data-testid="confirm-username">{dialog.user.username}</strong>? They can no longer sign in.
          </p>
        </ConfirmDialog>
      )}
    </main>
  );
}
