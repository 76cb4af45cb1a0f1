/** A small coloured badge for a user role. */
import type { Role } from '../api/types';

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span className={`badge badge-role-${role}`} data-testid="role-badge">
      {role}
    </span>
  );
}
