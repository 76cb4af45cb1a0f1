/**
 * The size the playing segment's frames show at (the element's videoWidth × videoHeight, which
 * already accounts for non-square pixels), following the element on screen as segments change;
 * the recording's probed size until the element knows, {0, 0} while neither does.
 */
import { useEffect, useState } from 'react';
import type { Size } from './overlayGeometry';
import type { PlayerState, SegmentPlayer } from './segmentPlayer';

export function useMediaSize(player: SegmentPlayer | null, state: PlayerState | null): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const active = state?.active ?? 0;
  const segmentId = state?.segment?.recording.id ?? null;
  useEffect(() => {
    if (!player) return;
    const video = player.activeVideo();
    const read = () => {
      const width = video.videoWidth;
      const height = video.videoHeight;
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    read();
    video.addEventListener('loadedmetadata', read);
    video.addEventListener('resize', read);
    return () => {
      video.removeEventListener('loadedmetadata', read);
      video.removeEventListener('resize', read);
    };
  }, [player, active, segmentId]);
  const recording = state?.segment?.recording;
  if (size.width > 0 && size.height > 0) return size;
  return { width: recording?.width ?? 0, height: recording?.height ?? 0 };
}
