/**
 * Just enough of ISO BMFF (MP4) to build the `codecs` string Media Source Extensions need from an
 * fMP4 initialisation segment, since our playlists carry no CODECS attribute:
 *
 *   moov > trak > mdia > minf > stbl > stsd > avc1|avc3 > avcC   ->  "avc1.PPCCLL"
 *                                           > hvc1|hev1 > hvcC   ->  "hvc1.P.C.TL.B"
 *                                           > mp4a > esds        ->  "mp4a.40.A"
 *
 * Pure (works on a Uint8Array, no DOM) so it can be unit-tested under node. Malformed input
 * throws Mp4Error; it never reads outside the buffer.
 */

export class Mp4Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Mp4Error';
  }
}

export interface Box {
  type: string;
  /** Offset of the box header in the buffer. */
  start: number;
  /** Offset of the first byte after the header (and after any skipped fixed fields). */
  contentStart: number;
  /** Offset of the first byte after the box. */
  end: number;
}

/** Bytes of fixed fields between a container box's header and its first child box. */
const CHILD_OFFSET: Record<string, number> = {
  stsd: 8, // version/flags + entry_count
  avc1: 78, // SampleEntry (8) + VisualSampleEntry (70)
  avc3: 78,
  hvc1: 78,
  hev1: 78,
  mp4a: 28, // SampleEntry (8) + AudioSampleEntry v0 (20)
};

function fourcc(data: Uint8Array, at: number): string {
  return String.fromCharCode(data[at], data[at + 1], data[at + 2], data[at + 3]);
}

function u32(data: Uint8Array, at: number): number {
  return ((data[at] << 24) >>> 0) + (data[at + 1] << 16) + (data[at + 2] << 8) + data[at + 3];
}

/** The boxes directly inside [start, end). */
export function readBoxes(data: Uint8Array, start = 0, end = data.length): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = u32(data, at);
    const type = fourcc(data, at + 4);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) throw new Mp4Error(`Truncated 64-bit size of box ${type}`);
      const high = u32(data, at + 8);
      if (high !== 0) throw new Mp4Error(`Box ${type} is too large`);
      size = u32(data, at + 12);
      header = 16;
    } else if (size === 0) {
      size = end - at; // extends to the end
    }
    if (size < header || at + size > end) throw new Mp4Error(`Box ${type} at ${at} has a bad size ${size}`);
    const offset = CHILD_OFFSET[type] ?? 0;
    boxes.push({ type, start: at, contentStart: Math.min(at + header + offset, at + size), end: at + size });
    at += size;
  }
  return boxes;
}

/** Every box whose path from the top matches `path` (e.g. ["moov", "trak"]). */
export function findBoxes(data: Uint8Array, path: string[]): Box[] {
  let level: Box[] = [{ type: '', start: 0, contentStart: 0, end: data.length }];
  for (const type of path) {
    const next: Box[] = [];
    for (const parent of level) {
      for (const child of readBoxes(data, parent.contentStart, parent.end)) {
        if (child.type === type) next.push(child);
      }
    }
    level = next;
  }
  return level;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** "avc1.PPCCLL" from an avcC box body (AVCDecoderConfigurationRecord). */
export function avcCodec(data: Uint8Array, avcC: Box, entryType = 'avc1'): string {
  const at = avcC.start + 8;
  if (at + 4 > avcC.end) throw new Mp4Error('avcC is too short');
  return `${entryType}.${hex2(data[at + 1])}${hex2(data[at + 2])}${hex2(data[at + 3])}`;
}

/** "hvc1.P.C.TL.B" (RFC 6381 / ISO 14496-15 Annex E) from an hvcC box body. */
export function hevcCodec(data: Uint8Array, hvcC: Box, entryType = 'hvc1'): string {
  const at = hvcC.start + 8;
  if (at + 13 > hvcC.end) throw new Mp4Error('hvcC is too short');
  const byte1 = data[at + 1];
  const space = ['', 'A', 'B', 'C'][byte1 >> 6];
  const tier = (byte1 >> 5) & 1 ? 'H' : 'L';
  const profile = byte1 & 0x1f;
  // The 32 compatibility flags, bit-reversed, in hex without leading zeros.
  let flags = u32(data, at + 2);
  let reversed = 0;
  for (let i = 0; i < 32; i++) {
    reversed = ((reversed << 1) | (flags & 1)) >>> 0;
    flags >>>= 1;
  }
  const level = data[at + 12];
  const constraints: string[] = [];
  for (let i = 0; i < 6; i++) constraints.push(data[at + 6 + i].toString(16).toUpperCase());
  while (constraints.length > 0 && constraints[constraints.length - 1] === '0') constraints.pop();
  return [`${entryType}.${space}${profile}`, reversed.toString(16).toUpperCase(), `${tier}${level}`, ...constraints].join('.');
}

/** Reads an MPEG-4 descriptor header: tag and payload bounds. */
function descriptor(data: Uint8Array, at: number, end: number): { tag: number; body: number; end: number } {
  if (at + 2 > end) throw new Mp4Error('Truncated descriptor');
  const tag = data[at];
  let length = 0;
  let p = at + 1;
  for (let i = 0; i < 4; i++) {
    if (p >= end) throw new Mp4Error('Truncated descriptor length');
    const b = data[p++];
    length = (length << 7) | (b & 0x7f);
    if (!(b & 0x80)) break;
  }
  return { tag, body: p, end: Math.min(p + length, end) };
}

/** "mp4a.40.A" from an esds box: object type 0x40 plus the AAC audio object type (2 = AAC-LC). */
export function aacCodec(data: Uint8Array, esds: Box): string {
  try {
    // esds: header (8) + version/flags (4), then ES_Descriptor (tag 3).
    const es = descriptor(data, esds.start + 12, esds.end);
    if (es.tag !== 3) throw new Mp4Error('esds has no ES_Descriptor');
    const flags = data[es.body + 2];
    let p = es.body + 3;
    if (flags & 0x80) p += 2; // dependsOn_ES_ID
    if (flags & 0x40) p += 1 + data[p]; // URL
    if (flags & 0x20) p += 2; // OCR_ES_Id
    const config = descriptor(data, p, es.end);
    if (config.tag !== 4) throw new Mp4Error('esds has no DecoderConfigDescriptor');
    const objectType = data[config.body];
    if (objectType !== 0x40) return `mp4a.${hex2(objectType)}`;
    const specific = descriptor(data, config.body + 13, config.end);
    if (specific.tag !== 5 || specific.body >= specific.end) return 'mp4a.40.2';
    let audioObjectType = data[specific.body] >> 3;
    if (audioObjectType === 31 && specific.body + 1 < specific.end) {
      audioObjectType = 32 + (((data[specific.body] & 0x07) << 3) | (data[specific.body + 1] >> 5));
    }
    return `mp4a.40.${audioObjectType || 2}`;
  } catch (err) {
    if (err instanceof Mp4Error) return 'mp4a.40.2'; // AAC-LC: what ffmpeg's aac encoder writes
    throw err;
  }
}

export interface InitSegmentInfo {
  /** One codec string per track, video first, e.g. ["avc1.4d401e", "mp4a.40.2"]. */
  codecs: string[];
  hasVideo: boolean;
  hasAudio: boolean;
}

/** Reads the tracks of an fMP4 initialisation segment and builds their codec strings. */
export function describeInitSegment(data: Uint8Array): InitSegmentInfo {
  const entries = findBoxes(data, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd']).flatMap((stsd) =>
    readBoxes(data, stsd.contentStart, stsd.end),
  );
  if (entries.length === 0) throw new Mp4Error('No sample descriptions (moov/trak/.../stsd) in the init segment');
  const video: string[] = [];
  const audio: string[] = [];
  for (const entry of entries) {
    const children = readBoxes(data, entry.contentStart, entry.end);
    const child = (type: string) => children.find((c) => c.type === type);
    if (entry.type === 'avc1' || entry.type === 'avc3') {
      const avcC = child('avcC');
      if (!avcC) throw new Mp4Error(`${entry.type} has no avcC`);
      video.push(avcCodec(data, avcC, entry.type));
    } else if (entry.type === 'hvc1' || entry.type === 'hev1') {
      const hvcC = child('hvcC');
      if (!hvcC) throw new Mp4Error(`${entry.type} has no hvcC`);
      video.push(hevcCodec(data, hvcC, entry.type));
    } else if (entry.type === 'mp4a') {
      const esds = child('esds');
      audio.push(esds ? aacCodec(data, esds) : 'mp4a.40.2');
    } else {
      throw new Mp4Error(`Unsupported sample entry "${entry.type}"`);
    }
  }
  return { codecs: [...video, ...audio], hasVideo: video.length > 0, hasAudio: audio.length > 0 };
}

/** The MIME type for `MediaSource.addSourceBuffer`, e.g. `video/mp4; codecs="avc1.4d401e,mp4a.40.2"`. */
export function mimeTypeFor(info: InitSegmentInfo): string {
  return `${info.hasVideo ? 'video' : 'audio'}/mp4; codecs="${info.codecs.join(',')}"`;
}
