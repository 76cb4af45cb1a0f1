/**
 * The Setup page's camera list: name, group, address, stream paths, enabled state and recording
 * (a switch for admins, a badge for viewers), with Edit/Delete for admins. Viewers are not told
 * how cameras are reached (the API gives them no address or stream paths), so those columns are
 * for admins only. On narrow screens each row becomes a card (see styles/table.css).
 */
import type { Camera } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Switch } from '../../components/Switch';

interface CameraTableProps {
  cameras: Camera[];
  canEdit: boolean;
  /** Ids whose recording toggle is waiting for the server. */
  pending: ReadonlySet<string>;
  onToggleRecording: (camera: Camera, on: boolean) => void;
  onEdit: (camera: Camera) => void;
  onDelete: (camera: Camera) => void;
}

export function CameraTable({ cameras, canEdit, pending, onToggleRecording, onEdit, onDelete }: CameraTableProps) {
  return (
    <DataTable className="camera-table" testId="camera-table" columns={[{ label: 'Name' }, { label: 'Group' }, canEdit && { label: 'Address' }, canEdit && { label: 'Stream' }, { label: 'State' }, { label: 'Recording' }, canEdit && { label: 'Actions', hidden: true }]}>
      {cameras.map((camera) => (
        <tr
          key={camera.id}
          data-testid="camera-row"
          data-camera-name={camera.name}
          data-camera-id={camera.id}
          data-recording={camera.recording_enabled ? 'on' : 'off'}
          className={camera.enabled ? undefined : 'row-disabled'}
        >
          <td data-label="Name">
            <div className="cell-title" data-testid="camera-name">
              {camera.name}
            </div>
            {camera.audio_enabled && <div className="cell-sub">with audio</div>}
          </td>
          <td data-label="Group" data-testid="camera-group">
            {camera.group || <span className="muted">—</span>}
          </td>
          {canEdit && (
            <td data-label="Address">
              <code data-testid="camera-address">
                {camera.host}:{camera.port}
              </code>
              <div className="cell-sub">
                {camera.transport.toUpperCase()}
                {camera.username ? ` · user ${camera.username}` : ''}
                {camera.has_password ? ' · password set' : ''}
              </div>
            </td>
          )}
          {canEdit && (
            <td data-label="Stream">
              <code data-testid="camera-stream">{camera.stream_path}</code>
              {camera.substream_path && (
                <div className="cell-sub">
                  sub <code>{camera.substream_path}</code>
                </div>
              )}
            </td>
          )}
          <td data-label="State">
            {camera.enabled ? (
              <span className="badge badge-ok" data-testid="camera-enabled">
                Enabled
              </span>
            ) : (
              <span className="badge badge-muted" data-testid="camera-enabled">
                Disabled
              </span>
            )}
          </td>
          <td data-label="Recording">
            <div className="recording-cell">
              {canEdit ? (
                <Switch
                  checked={camera.recording_enabled}
                  disabled={pending.has(camera.id)}
                  label={`Recording for ${camera.name}`}
                  onChange={(on) => onToggleRecording(camera, on)}
                  testId="recording-toggle"
                />
              ) : null}
              <span
                className={camera.recording_enabled ? 'rec-state rec-on' : 'rec-state rec-off'}
                data-testid="recording-state"
              >
                {camera.recording_enabled ? 'Recording' : 'Off'}
              </span>
            </div>
          </td>
          {canEdit && (
            <td className="actions-cell">
              <button type="button" className="button button-small" onClick={() => onEdit(camera)} data-testid="edit-camera" aria-label={`Edit ${camera.name}`}>
                Edit
              </button>
              <button
                type="button"
                className="button button-small button-danger-ghost"
                onClick={() => onDelete(camera)}
                data-testid="delete-camera"
                aria-label={`Delete ${camera.name}`}
              >
                Delete
              </button>
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
