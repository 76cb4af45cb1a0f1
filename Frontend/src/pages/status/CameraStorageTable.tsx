/**
 * The Storage section's cameras: how much each records a day, the retention that applies to it,
 * its storage priority and whether its recording is paused for want of space. Admins open a
 * camera's own retention and priority from its row.
 */
import type { CameraStorage } from '../../api/storage';
import { DataTable, type Column } from '../../components/DataTable';
import { formatDailyRate, retentionShort } from './storageFormat';

interface Props {
  cameras: CameraStorage[];
  isAdmin: boolean;
  onEdit: (camera: CameraStorage) => void;
}

export function CameraStorageTable({ cameras, isAdmin, onEdit }: Props) {
  if (cameras.length === 0) return <p className="muted small" data-testid="storage-cameras-empty">No cameras yet.</p>;
  const columns: (Column | false)[] = [{ label: 'Camera' }, { label: 'Records' }, { label: 'Retention' }, { label: 'Priority', numeric: true }, { label: 'Recording' }, isAdmin && { label: 'Actions', hidden: true }];
  return (
    <DataTable className="status-table storage-camera-table" testId="storage-camera-table" columns={columns}>
      {cameras.map((camera) => (
        <tr
          key={camera.camera_id}
          data-testid="storage-camera-row"
          data-camera-id={camera.camera_id.toLowerCase()}
          data-camera-name={camera.name}
          data-priority={camera.priority}
          data-paused={String(camera.recording_paused)}
          data-retention-seconds={camera.retention.max_age_seconds ?? ''}
          data-retention-bytes={camera.retention.max_bytes ?? ''}
        >
          <td data-label="Camera" className="cell-title">
            {camera.name}
          </td>
          <td data-label="Records" title={`${camera.bytes_per_second} bytes per second over the last hour`}>
            {formatDailyRate(camera.bytes_per_second)}
          </td>
          <td data-label="Retention" data-testid="storage-camera-retention">
            {retentionShort(camera.retention)}
          </td>
          <td data-label="Priority" className="num" data-testid="storage-camera-priority">
            {camera.priority}
          </td>
          <td data-label="Recording">
            {camera.recording_paused ? (
              <span className="badge badge-danger" data-testid="storage-camera-paused">
                Paused: storage full
              </span>
            ) : (
              <span className="muted small">Not held back</span>
            )}
          </td>
          {isAdmin && (
            <td className="actions-cell">
              <button type="button" className="button button-small" onClick={() => onEdit(camera)} data-testid="storage-camera-edit" aria-label={`Storage settings of ${camera.name}`}>
                Edit
              </button>
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
