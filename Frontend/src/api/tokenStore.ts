/**
 * Keeps the bearer token in localStorage so a reload stays signed in.
 * The server's HttpOnly `ronin_session` cookie is never touched from JS.
 */

const KEY = 'ronin.token';

export function loadToken(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    window.localStorage.setItem(KEY, token);
  } catch {
    /* storage unavailable (private mode): the session lasts until reload */
  }
}

export function clearToken(): void {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    /* ignore */
  }
}
