/**
 * Loads data from the API with loading/error state and an optional background refresh.
 *
 * Invariants: `loading` is true only until the first answer; a failed background refresh keeps
 * the last good `data` and sets `error`, so the page keeps showing what it had; an answer to a
 * request that started before a local `setData` is dropped, so a slow refresh never undoes a
 * change the server just confirmed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  /** Loads again; resolves when done (never rejects). */
  reload: () => Promise<void>;
  /** Replaces the data locally (after a change the server confirmed). */
  setData: (update: (current: T | null) => T | null) => void;
}

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, refreshMs?: number): Resource<T> {
  const [data, setDataState] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const controllerRef = useRef<AbortController | null>(null);
  const localVersion = useRef(0);

  const reload = useCallback(async () => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    const versionAtStart = localVersion.current;
    try {
      const result = await loadRef.current(controller.signal);
      if (controller.signal.aborted) return;
      if (versionAtStart === localVersion.current) setDataState(result);
      setError(null);
    } catch (err) {
      if (controller.signal.aborted) return;
      setError(errorMessage(err));
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    return () => controllerRef.current?.abort();
  }, [reload]);

  useEffect(() => {
    if (!refreshMs) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs, reload]);

  const setData = useCallback((update: (current: T | null) => T | null) => {
    localVersion.current += 1;
    setDataState(update);
  }, []);

  return { data, error, loading, reload, setData };
}
