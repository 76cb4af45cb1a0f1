/** The Status page's storage use: recordings on disk and the disk's size, use and free space. */
import type { StorageStatus } from '../../api/types';
import { formatBytes } from '../../util/format';

/** Share of the disk in use, 0..1, or null when the server could not read the disk's size. */
export function diskUsage(storage: StorageStatus): number | null {
  if (storage.total_bytes === null || storage.free_bytes === null || storage.total_bytes <= 0) return null;
  return Math.min(1, Math.max(0, (storage.total_bytes - storage.free_bytes) / storage.total_bytes));
}

export function StoragePanel({ storage }: { storage: StorageStatus }) {
  const usage = diskUsage(storage);
  const level = usage === null ? '' : usage >= 0.95 ? ' usage-critical' : usage >= 0.85 ? ' usage-high' : '';
  return (
    <section className="panel" data-testid="storage-panel">
      <div className="panel-head">
        <h2>Storage</h2>
      </div>
      <dl className="stat-list">
        <div>
          <dt>Recordings</dt>
          <dd data-testid="storage-recordings-bytes" data-bytes={storage.recordings_bytes}>
            {formatBytes(storage.recordings_bytes)}
          </dd>
        </div>
        <div>
          <dt>Segments</dt>
          <dd data-testid="storage-recordings-count" data-count={storage.recordings_count}>
            {storage.recordings_count.toLocaleString('en-US')}
          </dd>
        </div>
      </dl>
      <div className="disk" data-testid="storage-disk">
        {usage === null ? (
          <p className="muted">The size of the disk could not be read.</p>
        ) : (
          <>
            <div
              className={`usage-bar${level}`}
              role="meter"
              aria-label="Disk in use"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(usage * 100)}
              data-testid="storage-disk-bar"
            >
              <div className="usage-fill" style={{ width: `${(usage * 100).toFixed(1)}%` }} />
            </div>
            <div className="disk-text" data-testid="storage-disk-text">
              <span>
                <strong>{Math.round(usage * 100)}%</strong> used · {formatBytes((storage.total_bytes ?? 0) - (storage.free_bytes ?? 0))} of {formatBytes(storage.total_bytes)}
              </span>
              <span data-testid="storage-free">{formatBytes(storage.free_bytes)} free</span>
            </div>
          </>
        )}
        {storage.root !== null && (
          <div className="cell-sub disk-root" title="STORAGE_ROOT">
            <code data-testid="storage-root">{storage.root}</code>
          </div>
        )}
      </div>
    </section>
  );
}
