/**
 * The deletions log (GET /api/storage/deletions): every piece of footage the NVR deleted, newest
 * first, with when, which camera and span, its size and tier, and why. Admins also see the file
 * it was; viewers get no paths from the server. The first page follows the server; "Load more"
 * adds older pages (cursor paged), without repeating a deletion the first page moved onto.
 */
import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/client';
import { listDeletions, type StorageDeletion } from '../../api/storage';
import { DataTable, type Column } from '../../components/DataTable';
import { Spinner } from '../../components/Status';
import { useResource } from '../../hooks/useResource';
import { formatDateTime } from '../../util/dates';
import { formatBytes } from '../../util/format';
import { formatSpan, reasonLabel, tierLabel } from './storageFormat';

export const DELETIONS_PAGE = 25;
const REFRESH_MS = 10_000;

interface Props {
  isAdmin: boolean;
  cameraName: (id: string) => string | null;
}

export function DeletionsLog({ isAdmin, cameraName }: Props) {
  const load = useCallback((signal: AbortSignal) => listDeletions(DELETIONS_PAGE, null, signal), []);
  const first = useResource(load, REFRESH_MS);
  const [older, setOlder] = useState<{ rows: StorageDeletion[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  if (first.data === null) {
    return first.error ? (
      <p className="inline-warning" role="status" data-testid="deletions-error">
        Could not load the deletions: {first.error}
      </p>
    ) : (
      <p className="muted" role="status">
        <Spinner /> Loading the deletions…
      </p>
    );
  }

  const shownIds = new Set(first.data.deletions.map((d) => d.id));
  const rows = [...first.data.deletions, ...(older?.rows ?? []).filter((d) => !shownIds.has(d.id))];
  const cursor = older ? older.cursor : first.data.next_cursor;

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listDeletions(DELETIONS_PAGE, cursor);
      // The first page as it stood is kept with the older pages: should newer deletions push
      // its tail off the first page meanwhile, the tail still shows.
      const seed = first.data?.deletions ?? [];
      setOlder((o) => ({ rows: [...(o?.rows ?? seed), ...page.deletions], cursor: page.next_cursor }));
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  if (rows.length === 0) {
    return (
      <p className="muted small" data-testid="deletions-empty">
        Nothing has been deleted. Footage ends only by the retention, a tier’s limit without a tier below, or to keep a disk from filling; each deletion is listed here.
      </p>
    );
  }

  const columns: (Column | false)[] = [{ label: 'Deleted' }, { label: 'Camera' }, { label: 'Footage' }, { label: 'Size', numeric: true }, { label: 'Tier' }, { label: 'Why' }, isAdmin && { label: 'File' }];
  return (
    <div className="deletions-log" data-testid="deletions-log">
      {first.error && (
        <p className="inline-warning" role="status">
          Could not refresh the deletions: {first.error}
        </p>
      )}
      <p className="muted small" data-testid="deletions-total" data-total={first.data.total} data-shown={rows.length}>
        {first.data.total === rows.length ? `${first.data.total.toLocaleString('en-US')} deleted` : `The newest ${rows.length.toLocaleString('en-US')} of ${first.data.total.toLocaleString('en-US')} deleted`}
      </p>
      <DataTable className="status-table deletions-table" testId="deletions-table" columns={columns}>
        {rows.map((d) => (
          <tr key={d.id} data-testid="deletion-row" data-deletion-id={d.id} data-recording-id={d.recording_id.toLowerCase()} data-camera-id={d.camera_id.toLowerCase()} data-reason={d.reason} data-tier={d.tier}>
            <td data-label="Deleted">{formatDateTime(d.deleted_at)}</td>
            <td data-label="Camera" className="cell-title">
              {cameraName(d.camera_id) ?? 'A deleted camera'}
            </td>
            <td data-label="Footage" data-testid="deletion-span">
              {formatSpan(d.start, d.end)}
            </td>
            <td data-label="Size" className="num">
              {formatBytes(d.size_bytes)}
            </td>
            <td data-label="Tier">
              <span className={`tier-chip tier-chip-${d.tier}`}>{tierLabel(d.tier)}</span>
            </td>
            <td data-label="Why" data-testid="deletion-reason">
              {reasonLabel(d.reason)}
            </td>
            {isAdmin && (
              <td data-label="File" className="deletion-path">
                <code data-testid="deletion-path">{d.path ?? '—'}</code>
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      {moreError && (
        <p className="inline-warning" role="status">
          Could not load more: {moreError}
        </p>
      )}
      {cursor && (
        <div className="panel-actions">
          <button type="button" className="button button-small" onClick={() => void loadMore()} disabled={loadingMore} data-testid="deletions-more">
            {loadingMore ? 'Loading…' : 'Load older deletions'}
          </button>
        </div>
      )}
    </div>
  );
}
