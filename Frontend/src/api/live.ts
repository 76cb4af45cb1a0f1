/**
 * Live addresses: the WebSocket (fragmented MP4, docs/design/live.md) and the HLS playlists (the
 * fallback). Each camera has a main stream (with audio when the camera sends it) and, when it
 * `has_substream`, a lighter video-only sub-stream for the grid. Both are served to signed-in
 * users with the bearer header or the session cookie (so a native `<video src>` and a WebSocket,
 * which can send no header, work).
 */
import type { Camera } from './types';

export type LiveStream = 'main' | 'sub';

export function livePlaylistUrl(cameraId: string, stream: LiveStream): string {
  const base = `/api/cameras/${encodeURIComponent(cameraId)}/live`;
  return stream === 'sub' ? `${base}/sub/stream.m3u8` : `${base}/stream.m3u8`;
}

/** `ws(s)://<host>/api/cameras/{id}/live/ws?stream=main|sub` on the page's own origin. */
export function liveSocketUrl(page: { protocol: string; host: string }, cameraId: string, stream: LiveStream): string {
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${page.host}/api/cameras/${encodeURIComponent(cameraId)}/live/ws?stream=${stream}`;
}

/**
 * Which stream a view of `camera` plays: the sub-stream in the grid when there is one, the main
 * stream when enlarged, when there is no sub-stream, or when sound is wanted (the sub-stream has
 * no audio track).
 */
export function chooseStream(camera: Pick<Camera, 'has_substream'>, enlarged: boolean, wantsAudio: boolean): LiveStream {
  return camera.has_substream && !enlarged && !wantsAudio ? 'sub' : 'main';
}
