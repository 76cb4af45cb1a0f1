/** Authentication endpoints: login, logout, current user, own password change. */
import { request } from './client';
import type { CurrentUser, LoginResponse } from './types';

export function login(username: string, password: string): Promise<LoginResponse> {
  return request<LoginResponse>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
    authRedirect: false,
  });
}

export function logout(): Promise<void> {
  return request<void>('/api/auth/logout', { method: 'POST', authRedirect: false });
}

export function fetchMe(): Promise<CurrentUser> {
  return request<CurrentUser>('/api/auth/me');
}

/** A wrong current password is reported to the form, not treated as an expired session. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return request<void>('/api/auth/password', {
    method: 'POST',
    body: { current_password: currentPassword, new_password: newPassword },
    authRedirect: false,
  });
}
