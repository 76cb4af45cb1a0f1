/**
 * The right-hand panel: what is playing (camera, the segment's local start and end, duration,
 * codec, resolution, size; "Recording now" while the segment is still being written, its end and
 * size growing), the day's detection counts by class for the shown cameras, and the keyboard
 * shortcuts.
 */
import type { ReactNode } from 'react';
import { formatBytes, formatDuration } from '../../util/format';
import { classColor, rankedClasses } from './detectionClasses';
import { isGrowing } from './growingSegment';
import type { Segment } from './segmentLookup';
import { localDateTime, localTime } from './zoneTime';

interface Props {
  cameraName: string | null;
  segment: Segment | null;
  tz: string;
  counts: Record<string, number>;
  recordedSeconds: number | null;
}

const SHORTCUTS: [string, string][] = [
  ['Space', 'Play / pause'],
  ['← →', 'Back / forward 10 s'],
  ['Shift + ← →', 'Back / forward 1 min'],
  [', .', 'One frame back / forward (paused)'],
  ['+ −', 'Zoom the ruler in / out'],
  ['Shift + drag', 'Select a range on the ruler'],
  ['Z, Shift + Z', 'Zoom the picture in / out (or the wheel over it)'],
  ['0', 'Show the whole picture'],
  ['Drag', 'Pan the zoomed picture'],
  ['L', 'Live: follow the footage being recorded'],
];

function Row({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testid}>{children}</dd>
    </>
  );
}

export function ClipSidebar({ cameraName, segment, tz, counts, recordedSeconds }: Props) {
  const r = segment?.recording;
  const classes = rankedClasses(counts);
  const growing = segment ? isGrowing(segment) : false;
  return (
    <aside className="playback-info" data-testid="clip-sidebar">
      <section>
        <h3>Current clip</h3>
        {r && segment ? (
          <dl className="clip-meta" data-testid="clip-meta" data-recording-id={r.id} data-status={r.status}>
            <Row label="Camera">{cameraName ?? '—'}</Row>
            <Row label="Start" testid="clip-start">
              {localDateTime(segment.start, tz)}
            </Row>
            <Row label="End" testid="clip-end">
              {localTime(segment.end, tz)}
              {growing && (
                <span className="clip-live" data-testid="clip-recording-now">
                  Recording now
                </span>
              )}
            </Row>
            <Row label="Duration">{formatDuration(r.duration_seconds)}</Row>
            <Row label="Codec" testid="clip-codec">
              {[r.video_codec, r.audio_codec].filter(Boolean).join(' + ') || '—'}
            </Row>
            <Row label="Resolution" testid="clip-resolution">
              {r.width && r.height ? `${r.width}×${r.height}` : '—'}
            </Row>
            <Row label="Size">{formatBytes(r.size_bytes)}</Row>
          </dl>
        ) : (
          <p className="muted small">Click the ruler to play footage; its details show here.</p>
        )}
      </section>
      <section>
        <h3>This day</h3>
        <dl className="clip-meta">
          <Row label="Recorded" testid="day-recorded">
            {recordedSeconds === null ? '—' : formatDuration(recordedSeconds)}
          </Row>
        </dl>
        {classes.length === 0 ? (
          <p className="muted small" data-testid="counts-empty">
            No detections for this day.
          </p>
        ) : (
          <ul className="class-counts" data-testid="class-counts">
            {classes.map(({ name, count }) => (
              <li key={name} data-class={name}>
                <span className="marker-swatch" style={{ background: classColor(name) }} />
                <span className="class-name">{name}</span>
                <span className="class-count">{count.toLocaleString('en-US')}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h3>Keyboard</h3>
        <dl className="shortcut-list" data-testid="shortcut-list">
          {SHORTCUTS.map(([keys, what]) => (
            <Row key={keys} label={keys}>
              {what}
            </Row>
          ))}
        </dl>
      </section>
    </aside>
  );
}
