/**
 * The Detection section's live detection, one row per camera: what it is doing (watching,
 * waiting for frames, watched by a worker on another machine, off), which live worker holds it,
 * the frames it looks at and what it sees now. Errors are the server's own words.
 */
import type { LiveCameraStatus } from '../../api/ml';
import { DataTable } from '../../components/DataTable';
import { presenceLabel } from '../../events/presence';
import { formatAge } from '../../util/format';
import { formatRate, measured } from './detectionSummary';

interface Props {
  live: LiveCameraStatus[];
  now: number;
  cameraName: (id: string | null) => string | null;
}

const STATES: Record<string, { label: string; tone: string }> = {
  watching: { label: 'Watching', tone: 'badge-ok' },
  starting: { label: 'Starting', tone: 'badge-muted' },
  waiting: { label: 'Waiting for frames', tone: 'badge-warn' },
  elsewhere: { label: 'Watched elsewhere', tone: 'badge-ok' },
  off: { label: 'Off', tone: 'badge-muted' },
  unavailable: { label: 'Unavailable', tone: 'badge-warn' },
};

/** The host part of a worker id (`host:pid:instance`). */
function workerHost(id: string | null): string | null {
  if (!id) return null;
  const parts = id.split(':');
  return parts.length >= 3 ? parts.slice(0, -2).join(':') : id;
}

export function LiveTable({ live, now, cameraName }: Props) {
  if (live.length === 0) return <p className="muted small" data-testid="live-status-empty">No camera is set up for live detection.</p>;
  return (
    <DataTable className="status-table" testId="live-status-table" columns={[{ label: 'Camera' }, { label: 'State' }, { label: 'Worker' }, { label: 'Frames/s', numeric: true }, { label: 'In view' }]}>
      {live.map((c) => {
        const state = STATES[c.state] ?? { label: c.state, tone: 'badge-muted' };
        return (
          <tr key={c.camera_id} data-testid="live-status-row" data-camera-id={c.camera_id} data-state={c.state} data-worker={c.worker ?? ''}>
            <td data-label="Camera" className="cell-title">
              {cameraName(c.camera_id) ?? 'Camera'}
            </td>
            <td data-label="State">
              <span className={`badge ${state.tone}`} data-testid="live-status-state">
                {state.label}
              </span>
              <div className="cell-sub" title={c.since}>
                for {formatAge(c.since, now)}
              </div>
              {c.error && (
                <div className="cell-sub error-text" data-testid="live-status-error">
                  {c.error}
                </div>
              )}
            </td>
            <td data-label="Worker" data-testid="live-status-worker" title={c.worker ?? undefined}>
              {workerHost(c.worker) ?? <span className="muted">—</span>}
            </td>
            <td data-label="Frames/s" className="num">
              {formatRate(measured(c.frames_per_second))}
              {measured(c.inference_ms) !== null && <div className="cell-sub">{formatRate(measured(c.inference_ms))} ms a frame</div>}
            </td>
            <td data-label="In view" data-testid="live-status-objects" data-objects={JSON.stringify(c.objects)}>
              {presenceLabel(c.objects) || <span className="muted">Nothing</span>}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
