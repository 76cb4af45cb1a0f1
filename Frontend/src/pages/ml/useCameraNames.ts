/**
 * Keeps the ML page's camera list (names for the feed, choices for the filter) up to date with
 * what the stream talks about: a camera added since the list was read is read again once, when
 * an event or presence message first names it.
 */
import { useEffect, useRef } from 'react';
import type { Camera } from '../../api/types';
import type { Resource } from '../../hooks/useResource';

export function useCameraNames(cameras: Resource<Camera[]>, mentioned: string[]): void {
  const asked = useRef(new Set<string>());
  const known = new Set((cameras.data ?? []).map((c) => c.id.toLowerCase()));
  const unknown = [...new Set(mentioned.map((id) => id.toLowerCase()))].filter((id) => !known.has(id) && !asked.current.has(id));
  const key = unknown.sort().join(',');
  const loaded = cameras.data !== null;
  const { reload } = cameras;

  useEffect(() => {
    if (!key || !loaded) return;
    for (const id of key.split(',')) asked.current.add(id);
    void reload();
  }, [key, loaded, reload]);
}
