/** The Status page's recording statistics: segments and bytes finished in the last hour and day, overall and per camera. */
import type { SystemStatus } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { formatBytes, plural } from '../../util/format';

export function RecordingTotals({ status }: { status: SystemStatus }) {
  const { last_hour: hour, last_day: day } = status.recording;
  return (
    <section className="panel" data-testid="recording-panel">
      <div className="panel-head">
        <h2>Recording</h2>
      </div>
      <dl className="stat-list">
        <div>
          <dt>Last hour</dt>
          <dd data-testid="rec-hour" data-segments={hour.segments} data-bytes={hour.bytes}>
            {plural(hour.segments, 'segment')}
            <span className="stat-sub">{formatBytes(hour.bytes)}</span>
          </dd>
        </div>
        <div>
          <dt>Last 24 hours</dt>
          <dd data-testid="rec-day" data-segments={day.segments} data-bytes={day.bytes}>
            {plural(day.segments, 'segment')}
            <span className="stat-sub">{formatBytes(day.bytes)}</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}

const PER_CAMERA_COLUMNS: Column[] = [
  { label: 'Camera' },
  { label: 'Segments, last hour', numeric: true },
  { label: 'Size, last hour', numeric: true },
  { label: 'Segments, 24 h', numeric: true },
  { label: 'Size, 24 h', numeric: true },
];

export function RecordingPerCamera({ status }: { status: SystemStatus }) {
  if (status.recording_per_camera.length === 0) return null;
  return (
    <section className="panel" data-testid="recording-per-camera">
      <div className="panel-head">
        <h2>Recording by camera</h2>
      </div>
      <DataTable className="status-table" columns={PER_CAMERA_COLUMNS}>
        {status.recording_per_camera.map((row) => (
          <tr key={row.camera_id} data-testid="rec-camera-row" data-camera-name={row.name} data-hour-segments={row.last_hour.segments} data-day-segments={row.last_day.segments}>
            <td data-label="Camera" className="cell-title">
              {row.name}
            </td>
            <td data-label="Segments, last hour" className="num">
              {row.last_hour.segments.toLocaleString('en-US')}
            </td>
            <td data-label="Size, last hour" className="num">
              {formatBytes(row.last_hour.bytes)}
            </td>
            <td data-label="Segments, 24 h" className="num">
              {row.last_day.segments.toLocaleString('en-US')}
            </td>
            <td data-label="Size, 24 h" className="num">
              {formatBytes(row.last_day.bytes)}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
