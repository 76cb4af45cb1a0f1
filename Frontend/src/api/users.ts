/** User administration endpoints (admin only). */
import { request } from './client';
import type { NewUser, User, UserPatch } from './types';

export function listUsers(signal?: AbortSignal): Promise<User[]> {
  return request<User[]>('/api/users', { signal });
}

export function createUser(user: NewUser): Promise<User> {
  return request<User>('/api/users', { method: 'POST', body: user });
}

export function updateUser(id: string, patch: UserPatch): Promise<User> {
  return request<User>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

export function deleteUser(id: string): Promise<void> {
  return request<void>(`/api/users/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
