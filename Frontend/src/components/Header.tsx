/**
 * Top bar: product name, navigation to the built pages (admin-only ones for admins), the count
 * of events not seen yet beside the ML entry, user menu.
 */
import { useAuth } from '../auth/AuthContext';
import { badgeText } from '../events/unseen';
import { useUnseenEvents } from '../hooks/useEventStream';
import { NAV_ITEMS } from '../nav';
import { Link, useLocation } from '../router/router';
import { UserMenu } from './UserMenu';

/** The unseen-events badge: a sibling of the link, so the link's own text stays the page's name. */
function UnseenBadge() {
  const { unseen } = useUnseenEvents();
  const text = badgeText(unseen);
  if (!text) return null;
  return (
    <span className="nav-badge" data-testid="unseen-badge" data-count={unseen} title={`${unseen} new event${unseen === 1 ? '' : 's'}`} aria-hidden="true">
      {text}
    </span>
  );
}

export function Header() {
  const { user, isAdmin } = useAuth();
  const { path } = useLocation();
  const { unseen } = useUnseenEvents();
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
          const counted = item.badge === 'events' && unseen > 0;
          return (
            <span key={item.path} className={counted ? 'nav-item nav-item-counted' : 'nav-item'}>
              <Link
                to={item.path}
                className={active ? 'nav-link active' : 'nav-link'}
                aria-current={active ? 'page' : undefined}
                aria-label={counted ? `${item.label}, ${unseen} new event${unseen === 1 ? '' : 's'}` : undefined}
                data-testid={`nav-${item.path.slice(1)}`}
              >
                {item.label}
              </Link>
              {item.badge === 'events' && <UnseenBadge />}
            </span>
          );
        })}
      </nav>
      {user && <UserMenu user={user} />}
    </header>
  );
}
