/**
 * Sign-in form. Shows the server's message on failure; on a 429 lockout it counts down the
 * Retry-After seconds and keeps the button disabled until then. After success it returns to the
 * page the user wanted (`?next=`), or the home page.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { useAuth, type SignOutReason } from '../auth/AuthContext';
import { Field } from '../components/Field';
import { HOME_PATH } from '../nav';
import { navigate } from '../router/router';

const REASON_TEXT: Record<Exclude<SignOutReason, null>, string> = {
  expired: 'Your session has ended. Sign in again to continue.',
  signedOut: 'You have signed out.',
  passwordChanged: 'Your password was changed. Sign in with the new password.',
};

/** Only same-app paths are accepted as a return target. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return HOME_PATH;
  return next;
}

export function LoginPage({ next, reason }: { next: string | null; reason: SignOutReason }) {
  const { login } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const secondsLeft = lockedUntil ? Math.max(0, Math.ceil((lockedUntil - now) / 1000)) : 0;

  useEffect(() => {
    if (!lockedUntil) return;
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= lockedUntil) setLockedUntil(null);
    }, 250);
    return () => window.clearInterval(timer);
  }, [lockedUntil]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      navigate(safeNext(next), true);
    } catch (err) {
      setBusy(false);
      setPassword('');
      if (err instanceof ApiError && err.status === 429) {
        const seconds = err.retryAfter ?? 60;
        setLockedUntil(Date.now() + seconds * 1000);
        setNow(Date.now());
        setError(err.message);
      } else {
        setError(errorMessage(err));
      }
    }
  };

  const locked = secondsLeft > 0;

  return (
    <main className="login-page" data-testid="login-page">
      <div className="login-card">
        <div className="login-brand">
          <svg className="brand-mark large" viewBox="0 0 32 32" aria-hidden="true">
            <circle cx="16" cy="16" r="10" fill="none" stroke="currentColor" strokeWidth="3" />
            <circle cx="16" cy="16" r="4" className="brand-dot" />
          </svg>
          <h1>
            Ronin <span className="brand-suffix">NVR</span>
          </h1>
        </div>
        <p className="login-subtitle">Sign in to your video recorder</p>
        {reason && !error && (
          <p className="notice" data-testid="login-notice">
            {REASON_TEXT[reason]}
          </p>
        )}
        <form className="form" onSubmit={submit} noValidate>
          <Field label="Username">
            <input
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoFocus
              data-testid="login-username"
            />
          </Field>
          <Field label="Password">
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="login-password"
            />
          </Field>
          {error && (
            <div className="form-error" role="alert" data-testid="login-error">
              {error}
              {locked && (
                <div className="lockout" data-testid="login-lockout">
                  Try again in {secondsLeft} second{secondsLeft === 1 ? '' : 's'}.
                </div>
              )}
            </div>
          )}
          <button type="submit" className="button button-primary button-block" disabled={busy || locked} data-testid="login-submit">
            {busy ? 'Signing in…' : locked ? `Locked (${secondsLeft}s)` : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
