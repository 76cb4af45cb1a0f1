/**
 * System status for everyone signed in: API health, each camera's connection state, storage use,
 * the storage tiers, recording statistics and detection (GET /api/status, GET /api/storage and
 * GET /api/ml/status, every 5 seconds). A failed refresh keeps the last report on screen with a
 * warning.
 */
import { useCallback, useEffect, useState } from 'react';
import { getMlStatus } from '../api/ml';
import { getStatus } from '../api/status';
import { getStorage } from '../api/storage';
import type { SystemStatus } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ErrorState, LoadingState } from '../components/Status';
import { useResource } from '../hooks/useResource';
import { CameraStatusTable } from './status/CameraStatusTable';
import { DetectionPanel } from './status/DetectionPanel';
import { HealthCards } from './status/HealthCards';
import { RecordingPerCamera, RecordingTotals } from './status/RecordingStats';
import { StoragePanel } from './status/StoragePanel';
import { StorageSection } from './status/StorageSection';

const REFRESH_MS = 5000;

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A camera's name by id (ids compared without regard to case), or null. */
function cameraNameIn(status: SystemStatus, id: string | null): string | null {
  if (!id) return null;
  const wanted = id.toLowerCase();
  return status.cameras.find((c) => c.id.toLowerCase() === wanted)?.name ?? null;
}

export function StatusPage() {
  const load = useCallback((signal: AbortSignal) => getStatus(signal), []);
  const { data, error, loading, reload } = useResource(load, REFRESH_MS);
  const loadDetection = useCallback((signal: AbortSignal) => getMlStatus(signal), []);
  const detection = useResource(loadDetection, REFRESH_MS);
  const loadStorage = useCallback((signal: AbortSignal) => getStorage(signal), []);
  const storage = useResource(loadStorage, REFRESH_MS);
  const { isAdmin } = useAuth();
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (data) setUpdatedAt(Date.now());
  }, [data]);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  const body = () => {
    if (loading && !data) return <LoadingState text="Loading system status…" />;
    if (!data) return <ErrorState title="Could not load the system status" message={error ?? 'Unknown error.'} onRetry={() => void reload()} />;
    return (
      <>
        {error && (
          <p className="inline-warning" role="status" data-testid="refresh-error">
            Could not refresh the status: {error}
          </p>
        )}
        <HealthCards status={data} />
        <CameraStatusTable status={data} now={now} />
        <div className="panel-row">
          <StoragePanel storage={data.storage} />
          <RecordingTotals status={data} />
        </div>
        <StorageSection resource={storage} now={now} isAdmin={isAdmin} />
        <DetectionPanel resource={detection} now={now} isAdmin={isAdmin} cameraName={(id) => cameraNameIn(data, id)} />
        <RecordingPerCamera status={data} />
      </>
    );
  };

  return (
    <main className="page status-page" data-testid="status-page">
      <div className="page-header">
        <div>
          <h1>System status</h1>
          <p className="page-subtitle" data-testid="status-updated">
            {updatedAt ? `Updated ${clock(updatedAt)} · refreshes every 5 seconds` : 'Health, cameras, storage, recording and detection.'}
          </p>
        </div>
      </div>
      {body()}
    </main>
  );
}
