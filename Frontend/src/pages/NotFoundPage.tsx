/** Shown for an unknown address or a page the user's role may not open. */
import { HOME_PATH } from '../nav';
import { Link } from '../router/router';

export function NotFoundPage({ forbidden = false }: { forbidden?: boolean }) {
  return (
    <main className="page" data-testid={forbidden ? 'forbidden-page' : 'not-found-page'}>
      <div className="state-box state-empty">
        <div>
          <strong>{forbidden ? 'Admins only' : 'Page not found'}</strong>
          <p className="state-detail">
            {forbidden ? 'This page needs an administrator account.' : 'There is nothing at this address.'}{' '}
            <Link to={HOME_PATH}>Go to camera setup</Link>.
          </p>
        </div>
      </div>
    </main>
  );
}
