/**
 * The clip selection under the ruler: mark in / mark out at the cursor, the selected range in
 * local time with its length, clear, and download (one MP4, or a ZIP for several cameras).
 */
import { formatDuration } from '../../util/format';
import type { Selection } from './TimelineRuler';
import { localTime } from './zoneTime';

interface Props {
  tz: string;
  canMark: boolean;
  selection: Selection | null;
  onMarkIn: () => void;
  onMarkOut: () => void;
  onClear: () => void;
  onDownload: () => void;
  downloadLabel: string;
}

export function SelectionBar({ tz, canMark, selection, onMarkIn, onMarkOut, onClear, onDownload, downloadLabel }: Props) {
  return (
    <div className="selection-bar" role="group" aria-label="Clip selection">
      {selection && (
        <span className="selection-range" data-testid="selection-label">
          {localTime(selection.start, tz)} – {localTime(selection.end, tz)} ({formatDuration((selection.end - selection.start) / 1000)})
        </span>
      )}
      {selection && (
        <button type="button" className="button button-small" onClick={onClear} data-testid="selection-clear">
          Clear
        </button>
      )}
      <button type="button" className="button button-small" onClick={onMarkIn} disabled={!canMark} title="Start the selection at the cursor" data-testid="mark-in">
        Mark in
      </button>
      <button type="button" className="button button-small" onClick={onMarkOut} disabled={!canMark} title="End the selection at the cursor" data-testid="mark-out">
        Mark out
      </button>
      <button type="button" className="button button-small button-primary" onClick={onDownload} disabled={!selection} data-testid="download-clip">
        {downloadLabel}
      </button>
    </div>
  );
}
