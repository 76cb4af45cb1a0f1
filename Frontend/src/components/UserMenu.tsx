/** The header's user button: shows username and role, opens "Change password" and "Sign out". */
import { useEffect, useRef, useState } from 'react';
import type { CurrentUser } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ChangePasswordModal } from './ChangePasswordModal';
import { RoleBadge } from './RoleBadge';

export function UserMenu({ user }: { user: CurrentUser }) {
  const { logout } = useAuth();
  const [open, setOpen] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const signOut = async () => {
    setSigningOut(true);
    await logout();
  };

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        type="button"
        className="user-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu-button"
      >
        <span className="avatar" aria-hidden="true">
          {user.username.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-menu-name" data-testid="current-username">
          {user.username}
        </span>
        <RoleBadge role={user.role} />
        <span className="caret" aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="user-menu-panel" role="menu" data-testid="user-menu">
          <div className="user-menu-identity">
            Signed in as <strong>{user.username}</strong>
            <span className="muted"> ({user.role})</span>
          </div>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              setOpen(false);
              setChangingPassword(true);
            }}
            data-testid="change-password-button"
          >
            Change password
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={signOut}
            disabled={signingOut}
            data-testid="sign-out-button"
          >
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      )}
      {changingPassword && <ChangePasswordModal onClose={() => setChangingPassword(false)} />}
    </div>
  );
}
