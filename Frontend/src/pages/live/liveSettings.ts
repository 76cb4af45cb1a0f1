/**
 * The Live View's choices, kept in localStorage (`ronin.live`) so a reload or the next visit
 * shows the same wall: grid layout, page, hidden cameras, cameras with sound on, sidebar open.
 * Unknown or malformed stored values fall back to the defaults field by field.
 */
import { useEffect, useState } from 'react';

export const LAYOUTS = [1, 2, 3, 4] as const;
/** Columns (= rows) of the grid: 1x1 ... 4x4. */
export type GridSize = (typeof LAYOUTS)[number];

export interface LiveSettings {
  layout: GridSize;
  /** 0-based page of the grid. */
  page: number;
  /** Camera ids hidden from the grid. */
  hidden: string[];
  /** Camera ids whose sound is on (all others are muted). */
  audio: string[];
  sidebarOpen: boolean;
}

export const STORAGE_KEY = 'ronin.live';
export const DEFAULT_SETTINGS: LiveSettings = { layout: 2, page: 0, hidden: [], audio: [], sidebarOpen: true };

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Number of pages for `count` cameras in an n x n grid (at least one). */
export function pageCount(count: number, layout: GridSize): number {
  return Math.max(1, Math.ceil(count / (layout * layout)));
}

export function parseSettings(text: string | null): LiveSettings {
  if (!text) return DEFAULT_SETTINGS;
  try {
    const raw = JSON.parse(text) as Partial<Record<keyof LiveSettings, unknown>>;
    const layout = LAYOUTS.find((n) => n === raw.layout) ?? DEFAULT_SETTINGS.layout;
    const page = typeof raw.page === 'number' && Number.isInteger(raw.page) && raw.page >= 0 ? raw.page : 0;
    return {
      layout,
      page,
      hidden: stringList(raw.hidden),
      audio: stringList(raw.audio),
      sidebarOpen: typeof raw.sidebarOpen === 'boolean' ? raw.sidebarOpen : DEFAULT_SETTINGS.sidebarOpen,
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

function load(): LiveSettings {
  let stored: string | null = null;
  try {
    stored = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    /* storage unavailable */
  }
  // On a first visit from a phone, start with the camera list closed: it would cover the grid.
  if (stored === null) return { ...DEFAULT_SETTINGS, sidebarOpen: window.innerWidth > 760 };
  return parseSettings(stored);
}

/** The settings and a setter that also writes them to localStorage. */
export function useLiveSettings(): [LiveSettings, (update: (s: LiveSettings) => LiveSettings) => void] {
  const [settings, setSettings] = useState<LiveSettings>(load);
  useEffect(() => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    } catch {
      /* storage unavailable: the choices last until reload */
    }
  }, [settings]);
  return [settings, setSettings];
}
