/**
 * The text messages of the live WebSocket (docs/design/live.md, The WebSocket), read into types:
 *
 *     {"type":"start","mime":"video/mp4; codecs=\"avc1.64001F,mp4a.40.2\"","codecs":"avc1.64001F,mp4a.40.2","width":768,"height":576}
 *     {"type":"skipped"}   the viewer fell behind; fragments resume at the next keyframe
 *     {"type":"waiting"}   the camera's stream stopped; a new `start` follows when it is back
 *
 * `start` is followed by the init segment (binary), then binary fragments. Pure (no DOM).
 * A message of a type we do not know is ignored (`null`), so the server may add some.
 */

export interface StartMessage {
  type: 'start';
  /** For `MediaSource.isTypeSupported` and `addSourceBuffer`. */
  mime: string;
  /** RFC 6381, comma-separated; '' when the server did not say. */
  codecs: string;
  width: number | null;
  height: number | null;
}

export type LiveMessage = StartMessage | { type: 'skipped' } | { type: 'waiting' };

export class LiveMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveMessageError';
  }
}

function dimension(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** Reads one text message; throws LiveMessageError for one that is not a JSON object with a type. */
export function parseLiveMessage(text: string): LiveMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LiveMessageError(`Not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LiveMessageError(`Not a message: ${text.slice(0, 80)}`);
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'start': {
      if (typeof message.mime !== 'string' || !message.mime) throw new LiveMessageError('A start message without a mime type');
      return {
        type: 'start',
        mime: message.mime,
        codecs: typeof message.codecs === 'string' ? message.codecs : '',
        width: dimension(message.width),
        height: dimension(message.height),
      };
    }
    case 'skipped':
    case 'waiting':
      return { type: message.type };
    default:
      if (typeof message.type !== 'string') throw new LiveMessageError(`A message without a type: ${text.slice(0, 80)}`);
      return null;
  }
}
