/**
 * A tiny history-API router. Paths are real URLs (`/setup`, `/login?next=%2Fusers`); the server
 * answers index.html for every non-API path without a file extension, so deep links and reloads
 * work. `navigate` pushes (or replaces) a history entry and notifies every `useLocation` user.
 */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export interface Location {
  /** Path beginning with "/", without trailing slash, e.g. "/setup". */
  path: string;
  query: URLSearchParams;
  /** Path plus query string, e.g. "/login?next=%2Fsetup". */
  full: string;
}

const CHANGE_EVENT = 'ronin:navigate';

function readLocation(): Location {
  const { pathname, search } = window.location;
  const path = pathname.replace(/\/+$/, '') || '/';
  return { path, query: new URLSearchParams(search), full: pathname + search };
}

/** Moves to `to` ("/setup", "/login?next=..."); `replace` overwrites the current history entry. */
export function navigate(to: string, replace = false): void {
  if (window.location.pathname + window.location.search === to) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** The current location, re-rendering on every change (navigate, back/forward). */
export function useLocation(): Location {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const update = () => setLocation(readLocation());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE_EVENT, update);
    // A child's Redirect may have navigated before this (parent) effect subscribed.
    update();
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE_EVENT, update);
    };
  }, []);
  return location;
}

/** Navigates on mount (for route guards), replacing the history entry. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
}

/** An in-app link: plain clicks navigate without reloading; modified clicks open tabs as usual. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handleClick} {...rest} />;
}
