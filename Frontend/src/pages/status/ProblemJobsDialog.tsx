/**
 * For admins: the jobs that need a person (parked: out of attempts or a permanent error; failed:
 * waiting for another attempt), newest first, with why they failed, and a button to queue each
 * again (POST /api/jobs/{id}/retry). A retried job leaves the list; the server's refusal (it
 * finished meanwhile) is shown as it words it.
 */
import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/client';
import { listJobs, retryJob, type Job } from '../../api/jobs';
import { DataTable } from '../../components/DataTable';
import { Modal } from '../../components/Modal';
import { EmptyState, ErrorState, LoadingState } from '../../components/Status';
import { useToasts } from '../../components/Toasts';
import { useResource } from '../../hooks/useResource';
import { formatDateTime } from '../../util/dates';
import { kindLabel } from './detectionSummary';

/** Jobs shown at once; the dialog says when there are more. */
const SHOWN = 100;

interface Props {
  onClose: () => void;
  /** After a retry, so the page's counts catch up. */
  onRetried: () => void;
  cameraName: (id: string | null) => string | null;
}

export function ProblemJobsDialog({ onClose, onRetried, cameraName }: Props) {
  const toasts = useToasts();
  const load = useCallback((signal: AbortSignal) => listJobs(['parked', 'failed'], { limit: SHOWN }, signal), []);
  const { data, error, loading, reload, setData } = useResource(load);
  const [busy, setBusy] = useState<string | null>(null);

  const retry = async (job: Job) => {
    setBusy(job.id);
    try {
      await retryJob(job.id);
      setData((list) => (list ? { ...list, jobs: list.jobs.filter((j) => j.id !== job.id), total: Math.max(0, list.total - 1) } : list));
      toasts.show('The job is queued again.', 'success');
      onRetried();
    } catch (err) {
      toasts.show(`Could not retry the job: ${errorMessage(err)}`, 'error');
      void reload();
    } finally {
      setBusy(null);
    }
  };

  const body = () => {
    if (loading && !data) return <LoadingState text="Loading jobs…" />;
    if (!data) return <ErrorState title="Could not load the jobs" message={error ?? 'Unknown error.'} onRetry={() => void reload()} />;
    if (data.jobs.length === 0) return <EmptyState title="Nothing to retry">No job is parked or failed.</EmptyState>;
    return (
      <>
        {data.total > data.jobs.length && (
          <p className="muted small" data-testid="jobs-more">
            The newest {data.jobs.length} of {data.total.toLocaleString('en-US')}.
          </p>
        )}
        <DataTable className="status-table" testId="job-table" columns={[{ label: 'Job' }, { label: 'State' }, { label: 'Why' }, { label: 'Actions', hidden: true }]}>
          {data.jobs.map((job) => (
            <tr key={job.id} data-testid="job-row" data-job-id={job.id} data-state={job.state}>
              <td data-label="Job">
                <div className="cell-title">
                  {kindLabel(job.kind)} · {cameraName(job.camera_id) ?? 'no camera'}
                </div>
                <div className="cell-sub">Updated {formatDateTime(job.updated_at)}</div>
              </td>
              <td data-label="State">
                <span className={`badge job-state-${job.state}`}>{job.state}</span>
                <div className="cell-sub">
                  attempt {job.attempt} of {job.max_attempts}
                </div>
              </td>
              <td data-label="Why" className="error-cell">
                {job.last_error ? <span className="error-text">{job.last_error}</span> : <span className="muted">—</span>}
              </td>
              <td className="actions-col">
                <button type="button" className="button button-small" onClick={() => void retry(job)} disabled={busy !== null} data-testid="job-retry">
                  {busy === job.id ? 'Retrying…' : 'Retry'}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      </>
    );
  };

  return (
    <Modal title="Parked and failed jobs" onClose={onClose} size="large" testId="jobs-dialog" busy={busy !== null}>
      {body()}
    </Modal>
  );
}
