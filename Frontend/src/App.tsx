/**
 * The application shell: waits for the session check, guards routes (signed-out users go to the
 * login page with `next` set to where they were), and renders the header plus the current page
 * inside the signed-in user's one event stream.
 */
import { useAuth } from './auth/AuthContext';
import { Header } from './components/Header';
import { EventStreamProvider } from './hooks/useEventStream';
import { ErrorState, LoadingState } from './components/Status';
import { HOME_PATH } from './nav';
import { LiveViewPage } from './pages/LiveViewPage';
import { LoginPage, safeNext } from './pages/LoginPage';
import { MlPage } from './pages/MlPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PlaybackPage } from './pages/PlaybackPage';
import { SetupPage } from './pages/SetupPage';
import { StatusPage } from './pages/StatusPage';
import { UsersPage } from './pages/UsersPage';
import { Redirect, useLocation } from './router/router';

function CurrentPage({ path }: { path: string }) {
  const { isAdmin } = useAuth();
  switch (path) {
    case '/live':
      return <LiveViewPage />;
    case '/playback':
      return <PlaybackPage />;
    case '/ml':
      return <MlPage />;
    case '/status':
      return <StatusPage />;
    case '/setup':
      return <SetupPage />;
    case '/users':
      return isAdmin ? <UsersPage /> : <NotFoundPage forbidden />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const { state, recheck } = useAuth();
  const location = useLocation();

  if (state.status === 'checking') {
    return (
      <div className="boot-screen">
        <LoadingState text="Checking your session…" />
      </div>
    );
  }

  if (state.status === 'unreachable') {
    return (
      <div className="boot-screen">
        <ErrorState title="Cannot reach the Ronin server" message={state.message} onRetry={recheck} />
      </div>
    );
  }

  if (state.status === 'signedOut') {
    if (location.path !== '/login') {
      const keepTarget = state.reason !== 'signedOut' && location.path !== '/';
      return <Redirect to={keepTarget ? `/login?next=${encodeURIComponent(location.full)}` : '/login'} />;
    }
    return <LoginPage next={location.query.get('next')} reason={state.reason} />;
  }

  if (location.path === '/login') return <Redirect to={safeNext(location.query.get('next'))} />;
  if (location.path === '/') return <Redirect to={HOME_PATH} />;

  return (
    <EventStreamProvider key={state.user.id} user={state.user.username}>
      <div className="app">
        <Header />
        <CurrentPage key={location.path} path={location.path} />
      </div>
    </EventStreamProvider>
  );
}
