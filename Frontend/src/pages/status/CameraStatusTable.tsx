/** The Status page's camera connectivity: a count per state, then each camera's state, since when, restarts and last error. */
import type { SystemStatus } from '../../api/types';
import { CameraStateBadge, stateLabel } from '../../components/CameraStateBadge';
import { DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/Status';
import { formatDateTime } from '../../util/dates';
import { formatAge } from '../../util/format';

const STATE_ORDER = ['recording', 'live', 'starting', 'reconnecting', 'error', 'stopped'];

export function CameraStatusTable({ status, now }: { status: SystemStatus; now: number }) {
  const counts = Object.entries(status.cameras_by_state)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (STATE_ORDER.indexOf(a) + 1 || 99) - (STATE_ORDER.indexOf(b) + 1 || 99));
  return (
    <section className="panel" data-testid="camera-connectivity">
      <div className="panel-head">
        <h2>Cameras</h2>
        <div className="state-counts" data-testid="state-counts">
          {counts.map(([state, n]) => (
            <span key={state} className={`state-count state-${state}`} data-state={state} data-count={n}>
              <span className={`state-dot state-${state}`} aria-hidden="true" />
              {n} {stateLabel(state).toLowerCase()}
            </span>
          ))}
        </div>
      </div>
      {status.cameras.length === 0 ? (
        <EmptyState title="No cameras">Cameras added on the Setup page show their connection state here.</EmptyState>
      ) : (
        <DataTable className="status-table" testId="status-camera-table" columns={[{ label: 'Camera' }, { label: 'State' }, { label: 'Since' }, { label: 'Restarts', numeric: true }, { label: 'Last error' }]}>
          {status.cameras.map((camera) => (
            <tr key={camera.id} data-testid="status-camera-row" data-camera-name={camera.name} data-state={camera.state} className={camera.enabled ? undefined : 'row-disabled'}>
              <td data-label="Camera">
                <div className="cell-title">{camera.name}</div>
                <div className="cell-sub">
                  {!camera.enabled ? 'disabled' : camera.recording_enabled ? 'recording on' : 'recording off'}
                </div>
              </td>
              <td data-label="State">
                <CameraStateBadge status={camera} testId="status-camera-state" />
              </td>
              <td data-label="Since" title={formatDateTime(camera.since)}>
                <span data-testid="status-camera-since">{formatAge(camera.since, now)}</span>
                <div className="cell-sub">{formatDateTime(camera.since)}</div>
              </td>
              <td data-label="Restarts" className="num" data-testid="status-camera-restarts">
                {camera.restarts}
              </td>
              <td data-label="Last error" className="error-cell" data-testid="status-camera-error">
                {camera.last_error ? <span className="error-text">{camera.last_error}</span> : <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
