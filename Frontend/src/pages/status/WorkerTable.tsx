/**
 * The Detection section's worker pools: where each runs, which kinds of work it takes, how long
 * ago it last reported, whether it is alive, its throughput, and the jobs it is working on with
 * their progress.
 */
import type { WorkerStatus } from '../../api/ml';
import { DataTable } from '../../components/DataTable';
import { formatAge } from '../../util/format';
import { formatRate, kindLabel, measured } from './detectionSummary';

interface Props {
  workers: WorkerStatus[];
  now: number;
  cameraName: (id: string | null) => string | null;
}

export function WorkerTable({ workers, now, cameraName }: Props) {
  if (workers.length === 0) return <p className="muted small" data-testid="workers-empty">No worker has reported yet.</p>;
  return (
    <DataTable className="status-table" testId="worker-table" columns={[{ label: 'Worker' }, { label: 'Work' }, { label: 'Last report' }, { label: 'State' }, { label: 'Frames/s', numeric: true }, { label: 'Working on' }]}>
      {workers.map((w) => (
        <tr key={w.id} data-testid="worker-row" data-worker-id={w.id} data-host={w.host} data-alive={w.alive ? 'true' : 'false'} className={w.alive ? undefined : 'row-disabled'}>
          <td data-label="Worker">
            <div className="cell-title">{w.host}</div>
            <div className="cell-sub mono" title="host:process:instance">
              {w.id}
            </div>
          </td>
          <td data-label="Work" data-testid="worker-kinds">
            {w.kinds.map(kindLabel).join(', ')}
          </td>
          <td data-label="Last report" data-testid="worker-heartbeat" title={w.heartbeat_at}>
            {formatAge(w.heartbeat_at, now)} ago
          </td>
          <td data-label="State">
            <span className={`badge ${w.alive ? 'badge-ok' : 'badge-muted'}`} data-testid="worker-alive">
              {w.alive ? 'Alive' : 'Gone'}
            </span>
            {!w.detection_available && w.reason && (
              <div className="cell-sub error-text" data-testid="worker-reason">
                {w.reason}
              </div>
            )}
          </td>
          <td data-label="Frames/s" className="num" data-testid="worker-fps">
            {formatRate(measured(w.frames_per_second))}
            {measured(w.inference_ms) !== null && <div className="cell-sub">{formatRate(measured(w.inference_ms))} ms a frame</div>}
          </td>
          <td data-label="Working on">
            {w.jobs.length === 0 ? (
              <span className="muted">Idle</span>
            ) : (
              <ul className="worker-jobs bare-list">
                {w.jobs.map((job) => {
                  const percent = Math.round(Math.min(1, Math.max(0, job.progress)) * 100);
                  return (
                    <li key={job.id} data-testid="worker-job" data-job-id={job.id} data-progress={job.progress}>
                      <span className="worker-job-name">{cameraName(job.camera_id) ?? 'Recording'}</span>
                      <span className="usage-bar job-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
                        <span className="usage-fill" style={{ width: `${percent}%` }} />
                      </span>
                      <span className="worker-job-percent">{percent}%</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
