/** Top bar: product name, navigation to the built pages (admin-only ones for admins), user menu. */
import { useAuth } from '../auth/AuthContext';
import { NAV_ITEMS } from '../nav';
import { Link, useLocation } from '../router/router';
import { UserMenu } from './UserMenu';

export function Header() {
  const { user, isAdmin } = useAuth();
  const { path } = useLocation();
  const items = NAV_ITEMS.filter((item) => !item.adminOnly || isAdmin);

  return (
    <header className="app-header" data-testid="app-header">
      <Link to="/" className="brand" aria-label="Ronin NVR home">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <circle cx="16" cy="16" r="10" fill="none" stroke="currentColor" strokeWidth="3" />
          <circle cx="16" cy="16" r="4" className="brand-dot" />
        </svg>
        <span className="brand-name">
          Ronin <span className="brand-suffix">NVR</span>
        </span>
      </Link>
      <nav className="main-nav" aria-label="Main">
        {items.map((item) => {
          const active = path === item.path || path.startsWith(item.path + '/');
          return (
            <Link
              key={item.path}
              to={item.path}
              className={active ? 'nav-link active' : 'nav-link'}
              aria-current={active ? 'page' : undefined}
              data-testid={`nav-${item.path.slice(1)}`}
            >
              {item.label}
            </Link>
          );
        })}
      </nav>
      {user && <UserMenu user={user} />}
    </header>
  );
}
