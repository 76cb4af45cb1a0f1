/**
 * Loads a live playlist through the API client (bearer token; a 401 signs the user out) and
 * refuses one whose stream has stopped: after a camera drops, the server may keep answering the
 * last playlist it wrote until the pipeline restarts, and playing it again would only replay the
 * same few seconds.
 */
import { requestRaw } from '../api/client';
import { isStale, parseMediaPlaylist, playlistAgeSeconds, type MediaPlaylist } from './playlist';

/** The stream is not advancing (stale playlist): retry later. */
export class StreamStoppedError extends Error {
  constructor(ageSeconds: number) {
    super(`The camera has sent no video for ${Math.round(ageSeconds)} s`);
    this.name = 'StreamStoppedError';
  }
}

export async function fetchLivePlaylist(url: string, signal: AbortSignal): Promise<MediaPlaylist> {
  const response = await requestRaw(url, { signal, headers: { Accept: 'application/vnd.apple.mpegurl, */*' } });
  const playlist = parseMediaPlaylist(await response.text());
  const age = playlistAgeSeconds(response.headers.get('Date'), response.headers.get('Last-Modified'));
  if (isStale(playlist, age)) throw new StreamStoppedError(age ?? 0);
  return playlist;
}
