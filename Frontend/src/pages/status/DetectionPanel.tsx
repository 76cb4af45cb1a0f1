/**
 * The Status page's Detection section, from GET /api/ml/status: whether detection can run (and
 * if not, why, as the server words it), the footage waiting, throughput, the queues per kind of
 * work, the worker pools and each camera's live detection. Admins get a button to see parked and failed jobs and retry them;
 * viewers see the same numbers without it. A server without background detection (404) is said
 * to be so, calmly.
 */
import { useState } from 'react';
import type { MlStatus } from '../../api/ml';
import { Spinner } from '../../components/Status';
import type { Resource } from '../../hooks/useResource';
import { availability, formatFootage, formatRate, throughput, totalBacklog, troubledJobs } from './detectionSummary';
import { ProblemJobsDialog } from './ProblemJobsDialog';
import { Stat } from './Stat';
import { LiveTable } from './LiveTable';
import { QueueTable } from './QueueTable';
import { WorkerTable } from './WorkerTable';

interface Props {
  resource: Resource<MlStatus | null>;
  now: number;
  isAdmin: boolean;
  cameraName: (id: string | null) => string | null;
}

export function DetectionPanel({ resource, now, isAdmin, cameraName }: Props) {
  const [showJobs, setShowJobs] = useState(false);
  const { data, error, loading } = resource;

  const body = () => {
    if (loading && data === null) {
      return (
        <p className="muted" role="status">
          <Spinner /> Loading the detection status…
        </p>
      );
    }
    if (data === null) {
      return error ? (
        <p className="inline-warning" role="status" data-testid="detection-error">
          Could not load the detection status: {error}
        </p>
      ) : (
        <p className="muted" data-testid="detection-unsupported">
          This server does not report detection status.
        </p>
      );
    }
    const state = availability(data.detection);
    const speed = throughput(data.workers);
    const troubled = troubledJobs(data.queues);
    return (
      <>
        {error && (
          <p className="inline-warning" role="status" data-testid="detection-error">
            Could not refresh the detection status: {error}
          </p>
        )}
        <div
          className={`detection-state detection-${state.tone}`}
          data-testid="detection-availability"
          data-enabled={String(data.detection.enabled)}
          data-available={String(data.detection.available)}
        >
          <span className={`health-dot ${state.tone === 'ok' ? 'health-ok' : state.tone === 'bad' ? 'health-bad' : 'health-off'}`} aria-hidden="true" />
          <strong data-testid="detection-state">{state.title}</strong>
          <span data-testid="detection-detail">{state.detail}</span>
        </div>
        <dl className="stat-list detection-stats">
          <Stat label="Backlog" testId="detection-backlog" data={{ 'data-seconds': totalBacklog(data.queues) }} value={formatFootage(totalBacklog(data.queues))} sub="of footage waiting" />
          <Stat label="Throughput" testId="detection-throughput" data={{ 'data-fps': speed.framesPerSecond ?? '' }} value={formatRate(speed.framesPerSecond)} sub="frames per second" />
          <Stat label="Inference" testId="detection-inference" data={{ 'data-ms': speed.inferenceMs ?? '' }} value={speed.inferenceMs === null ? '—' : `${formatRate(speed.inferenceMs)} ms`} sub="per frame" />
          <Stat label="Workers" testId="detection-workers" data={{ 'data-alive': speed.alive }} value={String(speed.alive)} sub={`alive of ${data.workers.length}`} />
        </dl>
        <h3 className="panel-subhead">Queues</h3>
        <QueueTable queues={data.queues} />
        <h3 className="panel-subhead">Workers</h3>
        <WorkerTable workers={data.workers} now={now} cameraName={cameraName} />
        {data.live && (
          <>
            <h3 className="panel-subhead">Live detection</h3>
            <LiveTable live={data.live} now={now} cameraName={cameraName} />
          </>
        )}
        {isAdmin && (
          <div className="panel-actions">
            <button type="button" className="button button-small" onClick={() => setShowJobs(true)} data-testid="problem-jobs-button" data-count={troubled}>
              {troubled > 0 ? `Parked and failed jobs (${troubled.toLocaleString('en-US')})` : 'Parked and failed jobs'}
            </button>
          </div>
        )}
      </>
    );
  };

  return (
    <section className="panel" data-testid="detection-panel">
      <div className="panel-head">
        <h2>Detection</h2>
      </div>
      {body()}
      {showJobs && <ProblemJobsDialog onClose={() => setShowJobs(false)} onRetried={() => void resource.reload()} cameraName={cameraName} />}
    </section>
  );
}
