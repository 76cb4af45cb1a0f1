/**
 * The pages shown in the header navigation, in order. A page appears here only once it exists;
 * `adminOnly` entries are hidden from viewers; `badge: 'events'` shows the count of events not
 * seen yet beside the entry.
 */
export interface NavItem {
  path: string;
  label: string;
  adminOnly?: boolean;
  badge?: 'events';
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/live', label: 'Live View' },
  { path: '/playback', label: 'Playback' },
  { path: '/ml', label: 'ML', badge: 'events' },
  { path: '/setup', label: 'Setup' },
  { path: '/status', label: 'Status' },
  { path: '/users', label: 'Users', adminOnly: true },
];

/** Where "/" and a successful login without a `next` lead. */
export const HOME_PATH = '/live';
