/**
 * The Playback page's keyboard shortcuts: Space play/pause, ←/→ 10 s (Shift: 1 min), comma and
 * period one frame while paused, +/− zoom the ruler, Z zooms the picture in (Shift+Z out) and 0
 * shows it whole again, L plays the live edge (today's footage being recorded) and follows it. Keys typed into a form field, with Ctrl, Meta or Alt held, or while a
 * dialog is open are left alone (so Ctrl+0 and Ctrl+/− stay the browser's page zoom).
 */
import { useEffect, useRef } from 'react';

export interface PlaybackKeyHandlers {
  togglePlay: () => void;
  step: (seconds: number) => void;
  frame: (direction: 1 | -1) => void;
  zoom: (direction: 1 | -1) => void;
  /** The picture's digital zoom, about the centre of the stage. */
  pictureZoom: (direction: 1 | -1) => void;
  pictureReset: () => void;
  /** Live: a few seconds before now on the chosen camera, following the footage as it is recorded. */
  live: () => void;
}

/** The action for a key, or null when the page does not use it. */
export function keyAction(key: string, shift: boolean, handlers: PlaybackKeyHandlers): (() => void) | null {
  switch (key) {
    case ' ':
      return handlers.togglePlay;
    case 'ArrowLeft':
      return () => handlers.step(shift ? -60 : -10);
    case 'ArrowRight':
      return () => handlers.step(shift ? 60 : 10);
    case ',':
    case '<':
      return () => handlers.frame(-1);
    case '.':
    case '>':
      return () => handlers.frame(1);
    case '+':
    case '=':
      return () => handlers.zoom(1);
    case '-':
    case '_':
      return () => handlers.zoom(-1);
    case 'z':
    case 'Z': // Caps Lock on or Shift held: Shift decides
      return () => handlers.pictureZoom(shift ? -1 : 1);
    case '0':
      return handlers.pictureReset;
    case 'l':
    case 'L':
      return handlers.live;
    default:
      return null;
  }
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button'].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function usePlaybackKeys(handlers: PlaybackKeyHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
      if (document.body.classList.contains('modal-open')) return;
      const action = keyAction(event.key, event.shiftKey, latest.current);
      if (!action) return;
      event.preventDefault();
      action();
    };
    // A focused button or checkbox would also act on the Space key's release.
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key === ' ' && !typingInto(event.target) && !document.body.classList.contains('modal-open')) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, []);
}
