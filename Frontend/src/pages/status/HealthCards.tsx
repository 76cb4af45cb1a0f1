/** The Status page's top row: API health, version, database and uptime. */
import type { SystemStatus } from '../../api/types';
import { formatDuration } from '../../util/format';

const DATABASE_NAMES: Record<string, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL', postgres: 'PostgreSQL' };

export function HealthCards({ status }: { status: SystemStatus }) {
  const ok = status.api.status === 'ok';
  return (
    <div className="stat-cards" data-testid="system-health">
      <div className="stat-card">
        <div className="stat-label">API</div>
        <div className="stat-value" data-testid="health-api" data-status={status.api.status}>
          <span className={`health-dot ${ok ? 'health-ok' : 'health-bad'}`} aria-hidden="true" />
          {ok ? 'Healthy' : status.api.status}
        </div>
      </div>
      <div className="stat-card">
        <div className="stat-label">Version</div>
        <div className="stat-value mono" data-testid="health-version">
          {status.api.version}
        </div>
      </div>
      <div className="stat-card">
        <div className="stat-label">Database</div>
        <div className="stat-value" data-testid="health-database">
          {DATABASE_NAMES[status.api.database] ?? status.api.database}
        </div>
      </div>
      <div className="stat-card">
        <div className="stat-label">Uptime</div>
        <div className="stat-value" data-testid="health-uptime" data-seconds={status.uptime_seconds}>
          {formatDuration(status.uptime_seconds)}
        </div>
      </div>
    </div>
  );
}
