/**
 * The Live View's camera list: cameras grouped by `group` (in sort order; ungrouped last), each
 * with its state, a show/hide toggle for the grid, and a click to enlarge it. Admins also get a
 * recording switch per camera and Start/Stop all.
 */
import type { Camera, CameraStatus } from '../../api/types';
import { stateLabel } from '../../components/CameraStateBadge';
import { ChevronIcon, EyeIcon } from '../../components/icons';
import { Switch } from '../../components/Switch';

export interface CameraGroup {
  name: string | null;
  cameras: Camera[];
}

/** Groups in the order their first camera appears (cameras are already sorted); no group last. */
export function groupCameras(cameras: Camera[]): CameraGroup[] {
  const groups = new Map<string, Camera[]>();
  const ungrouped: Camera[] = [];
  for (const camera of cameras) {
    const key = camera.group?.trim();
    if (!key) {
      ungrouped.push(camera);
      continue;
    }
    const list = groups.get(key);
    if (list) list.push(camera);
    else groups.set(key, [camera]);
  }
  const result: CameraGroup[] = [...groups.entries()].map(([name, list]) => ({ name, cameras: list }));
  if (ungrouped.length) result.push({ name: null, cameras: ungrouped });
  return result;
}

interface CameraSidebarProps {
  cameras: Camera[];
  statusById: Map<string, CameraStatus>;
  hidden: ReadonlySet<string>;
  onToggleHidden: (camera: Camera) => void;
  onShowAll: () => void;
  onSelect: (camera: Camera) => void;
  selectedId: string | null;
  canEdit: boolean;
  pendingRecording: ReadonlySet<string>;
  onToggleRecording: (camera: Camera, on: boolean) => void;
  onAllRecording: (on: boolean) => void;
  bulkBusy: boolean;
  /** Collapses the sidebar (on phones it lies over the grid, hiding the toolbar's toggle). */
  onClose: () => void;
}

export function CameraSidebar(props: CameraSidebarProps) {
  const { cameras, statusById, hidden, onToggleHidden, onShowAll, onSelect, selectedId, canEdit } = props;
  const groups = groupCameras(cameras);
  const shown = cameras.filter((c) => !hidden.has(c.id)).length;

  return (
    <aside className="live-sidebar" data-testid="camera-sidebar" aria-label="Cameras">
      <div className="live-sidebar-head">
        <h2>Cameras</h2>
        <button type="button" className="icon-button small-icon-button live-sidebar-close" onClick={props.onClose} aria-label="Hide camera list" title="Hide camera list" data-testid="sidebar-close">
          <ChevronIcon direction="left" />
        </button>
        <span className="muted small">
          <span data-testid="sidebar-count">
            {shown} of {cameras.length} shown
          </span>
          {hidden.size > 0 && (
            <>
              {' · '}
              <button type="button" className="link-button" onClick={onShowAll} data-testid="show-all-cameras">
                Show all
              </button>
            </>
          )}
        </span>
      </div>
      <div className="live-sidebar-list">
        {groups.map((group) => (
          <section key={group.name ?? '\u0000'} className="live-sidebar-group" data-testid="sidebar-group" data-group={group.name ?? ''}>
            <h3>{group.name ?? (groups.length > 1 ? 'Other cameras' : 'All cameras')}</h3>
            <ul>
              {group.cameras.map((camera) => {
                const isHidden = hidden.has(camera.id);
                const status = statusById.get(camera.id);
                return (
                  <li
                    key={camera.id}
                    className={`live-sidebar-item${isHidden ? ' is-hidden' : ''}${selectedId === camera.id ? ' is-selected' : ''}`}
                    data-testid="sidebar-camera"
                    data-camera-id={camera.id}
                    data-camera-name={camera.name}
                    data-hidden={isHidden ? 'true' : 'false'}
                  >
                    <button type="button" className="live-sidebar-name" onClick={() => onSelect(camera)} title={`Enlarge ${camera.name}`}>
                      <span
                        className={`state-dot state-${status?.state ?? 'unknown'}`}
                        title={status ? stateLabel(status.state) : undefined}
                        data-testid="sidebar-state"
                        data-state={status?.state ?? 'unknown'}
                      />
                      <span className="live-sidebar-label">{camera.name}</span>
                      <span className="visually-hidden">{status ? ` (${stateLabel(status.state)})` : ''}</span>
                    </button>
                    {canEdit && (
                      <span className={`rec-mini${camera.recording_enabled ? ' on' : ''}`} aria-hidden="true">
                        REC
                      </span>
                    )}
                    {canEdit && (
                      <Switch
                        checked={camera.recording_enabled}
                        disabled={props.pendingRecording.has(camera.id)}
                        label={`Recording for ${camera.name}`}
                        onChange={(on) => props.onToggleRecording(camera, on)}
                        testId="sidebar-recording-toggle"
                      />
                    )}
                    <button
                      type="button"
                      className="icon-button small-icon-button"
                      onClick={() => onToggleHidden(camera)}
                      aria-pressed={!isHidden}
                      aria-label={isHidden ? `Show ${camera.name}` : `Hide ${camera.name}`}
                      title={isHidden ? 'Show in the grid' : 'Hide from the grid'}
                      data-testid="visibility-toggle"
                    >
                      <EyeIcon open={!isHidden} />
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
      {canEdit && cameras.length > 0 && (
        <div className="live-sidebar-foot">
          <button type="button" className="button button-small" onClick={() => props.onAllRecording(true)} disabled={props.bulkBusy} data-testid="sidebar-start-all">
            Record all
          </button>
          <button type="button" className="button button-small" onClick={() => props.onAllRecording(false)} disabled={props.bulkBusy} data-testid="sidebar-stop-all">
            Stop all
          </button>
        </div>
      )}
    </aside>
  );
}
