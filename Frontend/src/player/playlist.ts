/**
 * A parser for the HLS media playlists our server writes (ffmpeg's HLS muxer, fMP4 segments):
 *
 *     #EXTM3U
 *     #EXT-X-VERSION:7
 *     #EXT-X-TARGETDURATION:2
 *     #EXT-X-MEDIA-SEQUENCE:41
 *     #EXT-X-MAP:URI="init.mp4"
 *     #EXTINF:2.000000,
 *     stream41.m4s
 *
 * Pure (no DOM, no fetch) so it can be unit-tested under node. Unknown tags are ignored, as the
 * HLS spec asks. Invariant of the result: `segments[i].sequence === mediaSequence + i`.
 */

export interface MediaSegment {
  /** Media sequence number: the playlist's EXT-X-MEDIA-SEQUENCE plus the segment's index. */
  sequence: number;
  /** URI as written in the playlist (usually relative, e.g. "stream41.m4s"). */
  uri: string;
  /** Seconds, from #EXTINF. */
  duration: number;
  /** True when an #EXT-X-DISCONTINUITY tag precedes this segment. */
  discontinuity: boolean;
}

export interface MediaPlaylist {
  version: number | null;
  /** Seconds, from #EXT-X-TARGETDURATION (the reload interval for a live playlist). */
  targetDuration: number;
  mediaSequence: number;
  /** URI of the initialisation segment (#EXT-X-MAP), or null for MPEG-TS playlists. */
  mapUri: string | null;
  segments: MediaSegment[];
  /** True when #EXT-X-ENDLIST is present (the stream has ended; no reloads needed). */
  ended: boolean;
}

export class PlaylistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaylistError';
  }
}

/** Reads `KEY=VALUE,KEY="quoted, value"` attribute lists (#EXT-X-MAP and friends). */
export function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([A-Z0-9-]+)=("[^"]*"|[^,]*)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const raw = match[2];
    attributes[match[1]] = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
  }
  return attributes;
}

function tagValue(line: string): string {
  const colon = line.indexOf(':');
  return colon < 0 ? '' : line.slice(colon + 1).trim();
}

function parseNumber(value: string, tag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new PlaylistError(`Bad value for ${tag}: "${value}"`);
  return n;
}

/** Parses a media playlist; throws PlaylistError for anything that is not one. */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new PlaylistError('Not an HLS playlist (no #EXTM3U header)');

  const playlist: MediaPlaylist = { version: null, targetDuration: 0, mediaSequence: 0, mapUri: null, segments: [], ended: false };
  let pendingDuration: number | null = null;
  let pendingDiscontinuity = false;
  let sawTargetDuration = false;

  for (const line of lines.slice(1)) {
    if (!line) continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#EXT-X-STREAM-INF')) throw new PlaylistError('A master playlist, not a media playlist');
      if (line.startsWith('#EXT-X-VERSION:')) playlist.version = parseNumber(tagValue(line), 'EXT-X-VERSION');
      else if (line.startsWith('#EXT-X-TARGETDURATION:')) {
        playlist.targetDuration = parseNumber(tagValue(line), 'EXT-X-TARGETDURATION');
        sawTargetDuration = true;
      } else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
        playlist.mediaSequence = Math.floor(parseNumber(tagValue(line), 'EXT-X-MEDIA-SEQUENCE'));
      } else if (line.startsWith('#EXT-X-MAP:')) {
        const uri = parseAttributes(tagValue(line)).URI;
        if (!uri) throw new PlaylistError('#EXT-X-MAP without a URI');
        playlist.mapUri = uri;
      } else if (line.startsWith('#EXTINF:')) {
        pendingDuration = parseNumber(tagValue(line).split(',')[0], 'EXTINF');
      } else if (line === '#EXT-X-DISCONTINUITY') {
        pendingDiscontinuity = true;
      } else if (line === '#EXT-X-ENDLIST') {
        playlist.ended = true;
      }
      continue; // comments and tags we do not need
    }
    if (pendingDuration === null) throw new PlaylistError(`Segment "${line}" has no #EXTINF`);
    playlist.segments.push({
      sequence: playlist.mediaSequence + playlist.segments.length,
      uri: line,
      duration: pendingDuration,
      discontinuity: pendingDiscontinuity,
    });
    pendingDuration = null;
    pendingDiscontinuity = false;
  }

  if (!sawTargetDuration) throw new PlaylistError('Playlist has no #EXT-X-TARGETDURATION');
  return playlist;
}

/**
 * Where to begin playing a live playlist: the first of the last `fromEnd` segments (default 3),
 * so playback starts near the live edge with a little buffer. Returns a sequence number, or null
 * when the playlist has no segments yet.
 */
export function liveStartSequence(playlist: MediaPlaylist, fromEnd = 3): number | null {
  const count = playlist.segments.length;
  if (count === 0) return null;
  return playlist.segments[Math.max(0, count - fromEnd)].sequence;
}

/** The segments at or after `sequence`, in order. */
export function segmentsFrom(playlist: MediaPlaylist, sequence: number): MediaSegment[] {
  return playlist.segments.filter((s) => s.sequence >= sequence);
}

/** Resolves a playlist URI (relative like "init.mp4") against the playlist's own URL. */
export function resolveUri(uri: string, playlistUrl: string, base = 'http://localhost/'): string {
  const absolutePlaylist = new URL(playlistUrl, base);
  const resolved = new URL(uri, absolutePlaylist);
  // Keep same-origin results relative to the origin, as the API client expects paths.
  return resolved.origin === absolutePlaylist.origin ? resolved.pathname + resolved.search : resolved.href;
}

/**
 * Seconds since the server last wrote the playlist, from the answer's own `Date` and
 * `Last-Modified` headers (both the server's clock, so the browser's clock does not matter);
 * null when either is missing or unreadable.
 */
export function playlistAgeSeconds(dateHeader: string | null, lastModifiedHeader: string | null): number | null {
  if (!dateHeader || !lastModifiedHeader) return null;
  const now = Date.parse(dateHeader);
  const modified = Date.parse(lastModifiedHeader);
  if (Number.isNaN(now) || Number.isNaN(modified)) return null;
  return Math.max(0, (now - modified) / 1000);
}

/**
 * A live playlist is rewritten with every segment; one not touched for three target durations
 * (plus a second for the headers' whole-second resolution) belongs to a stream that stopped.
 */
export function isStale(playlist: MediaPlaylist, ageSeconds: number | null): boolean {
  if (ageSeconds === null || playlist.ended) return false;
  return ageSeconds > 3 * Math.max(1, playlist.targetDuration) + 1;
}
