/**
 * Camera setup: the camera list (sorted by sort order, then name) with per-camera recording
 * switches, bulk start/stop, add/edit/delete, and export/import. Viewers get the list read-only;
 * export is admin-only too (the server answers 403 to viewers: the file can carry credentials).
 */
import { useCallback, useMemo, useState } from 'react';
import { deleteCamera, listCameras, setAllRecording, setRecording } from '../api/cameras';
import { errorMessage } from '../api/client';
import type { Camera } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState, ErrorState, LoadingState } from '../components/Status';
import { useToasts } from '../components/Toasts';
import { useResource } from '../hooks/useResource';
import { sortCameras } from '../util/cameras';
import { CameraFormModal } from './setup/CameraFormModal';
import { CameraTable } from './setup/CameraTable';
import { ExportDialog } from './setup/ExportDialog';
import { ImportDialog } from './setup/ImportDialog';

/** Background refresh, so recording state changed elsewhere shows up. */
const REFRESH_MS = 15_000;

type Dialog =
  | { kind: 'none' }
  | { kind: 'add' }
  | { kind: 'edit'; camera: Camera }
  | { kind: 'delete'; camera: Camera }
  | { kind: 'stopAll' }
  | { kind: 'export' }
  | { kind: 'import' };

export function SetupPage() {
  const { isAdmin } = useAuth();
  const toasts = useToasts();
  const load = useCallback((signal: AbortSignal) => listCameras(signal), []);
  const { data, error, loading, reload, setData } = useResource(load, REFRESH_MS);
  const [dialog, setDialog] = useState<Dialog>({ kind: 'none' });
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [bulkBusy, setBulkBusy] = useState<'start' | 'stop' | null>(null);

  const cameras = useMemo(() => (data ? sortCameras(data) : []), [data]);
  const recordingCount = cameras.filter((c) => c.recording_enabled).length;
  const disabledCount = cameras.filter((c) => !c.enabled).length;
  const nextSortOrder = cameras.reduce((max, c) => Math.max(max, c.sort_order + 1), 0);

  const close = () => setDialog({ kind: 'none' });

  const replaceCamera = (camera: Camera) =>
    setData((list) => (list ? (list.some((c) => c.id === camera.id) ? list.map((c) => (c.id === camera.id ? camera : c)) : [...list, camera]) : [camera]));

  const toggleRecording = async (camera: Camera, on: boolean) => {
    setPending((s) => new Set(s).add(camera.id));
    try {
      replaceCamera(await setRecording(camera.id, on));
      toasts.show(on ? `Recording started for ${camera.name}.` : `Recording stopped for ${camera.name}.`);
    } catch (err) {
      toasts.show(`Could not ${on ? 'start' : 'stop'} recording for ${camera.name}: ${errorMessage(err)}`, 'error');
    } finally {
      setPending((s) => {
        const next = new Set(s);
        next.delete(camera.id);
        return next;
      });
    }
  };

  const bulk = async (on: boolean) => {
    setBulkBusy(on ? 'start' : 'stop');
    try {
      const { updated } = await setAllRecording(on);
      await reload();
      toasts.show(`${on ? 'Recording started' : 'Recording stopped'} on ${updated} camera${updated === 1 ? '' : 's'}.`);
    } catch (err) {
      toasts.show(`Could not ${on ? 'start' : 'stop'} all recording: ${errorMessage(err)}`, 'error');
    } finally {
      setBulkBusy(null);
    }
  };

  const renderBody = () => {
    if (loading && !data) return <LoadingState text="Loading cameras…" />;
    if (!data) return <ErrorState title="Could not load the cameras" message={error ?? 'Unknown error.'} onRetry={() => void reload()} />;
    if (cameras.length === 0) {
      return (
        <EmptyState title="No cameras yet">
          {isAdmin ? 'Add your first IP camera with “Add camera”, or import a file exported from another Ronin NVR.' : 'An administrator has not added any cameras yet.'}
        </EmptyState>
      );
    }
    return (
      <>
        {error && (
          <p className="inline-warning" role="status" data-testid="refresh-error">
            Could not refresh the list: {error}
          </p>
        )}
        <CameraTable
          cameras={cameras}
          canEdit={isAdmin}
          pending={pending}
          onToggleRecording={toggleRecording}
          onEdit={(camera) => setDialog({ kind: 'edit', camera })}
          onDelete={(camera) => setDialog({ kind: 'delete', camera })}
        />
      </>
    );
  };

  return (
    <main className="page" data-testid="setup-page">
      <div className="page-header">
        <div>
          <h1>Camera setup</h1>
          <p className="page-subtitle" data-testid="camera-summary">
            {data
              ? `${cameras.length} camera${cameras.length === 1 ? '' : 's'} · ${recordingCount} recording${disabledCount ? ` · ${disabledCount} disabled` : ''}`
              : 'IP cameras, their streams and recording.'}
            {!isAdmin && <span className="badge badge-muted read-only-badge">read-only</span>}
          </p>
        </div>
        <div className="toolbar" role="toolbar" aria-label="Camera actions">
          {isAdmin && (
            <>
              <button type="button" className="button" onClick={() => void bulk(true)} disabled={bulkBusy !== null || cameras.length === 0} data-testid="start-all-recording">
                {bulkBusy === 'start' ? 'Starting…' : 'Start all recording'}
              </button>
              <button type="button" className="button" onClick={() => setDialog({ kind: 'stopAll' })} disabled={bulkBusy !== null || cameras.length === 0} data-testid="stop-all-recording">
                {bulkBusy === 'stop' ? 'Stopping…' : 'Stop all recording'}
              </button>
              <span className="toolbar-sep" aria-hidden="true" />
              <button type="button" className="button" onClick={() => setDialog({ kind: 'import' })} data-testid="import-cameras">
                Import
              </button>
              <button type="button" className="button" onClick={() => setDialog({ kind: 'export' })} disabled={!data} data-testid="export-cameras">
                Export
              </button>
              <button type="button" className="button button-primary" onClick={() => setDialog({ kind: 'add' })} data-testid="add-camera">
                Add camera
              </button>
            </>
          )}
        </div>
      </div>

      {renderBody()}

      {(dialog.kind === 'add' || dialog.kind === 'edit') && (
        <CameraFormModal
          camera={dialog.kind === 'edit' ? dialog.camera : null}
          nextSortOrder={nextSortOrder}
          onClose={close}
          onSaved={(camera, created) => {
            replaceCamera(camera);
            close();
            toasts.show(created ? `Camera “${camera.name}” added.` : `Camera “${camera.name}” saved.`);
          }}
        />
      )}
      {dialog.kind === 'delete' && (
        <ConfirmDialog
          title="Delete camera"
          confirmLabel="Delete camera"
          onClose={close}
          onConfirm={async () => {
            const { camera } = dialog;
            await deleteCamera(camera.id);
            setData((list) => (list ? list.filter((c) => c.id !== camera.id) : list));
            close();
            toasts.show(`Camera “${camera.name}” deleted.`);
          }}
        >
          <p>
            Delete the camera <strong data-testid="confirm-camera-name">{dialog.camera.name}</strong>?
          </p>
          <p className="muted">Recording stops. Footage already recorded stays on disk.</p>
        </ConfirmDialog>
      )}
      {dialog.kind === 'stopAll' && (
        <ConfirmDialog
          title="Stop all recording"
          confirmLabel="Stop all recording"
          onClose={close}
          onConfirm={async () => {
            close();
            await bulk(false);
          }}
        >
          <p>
            Stop recording on all {cameras.length} camera{cameras.length === 1 ? '' : 's'}? Nothing is recorded until recording is started
            again.
          </p>
        </ConfirmDialog>
      )}
      {dialog.kind === 'export' && <ExportDialog onClose={close} />}
      {dialog.kind === 'import' && <ImportDialog onClose={close} onImported={() => void reload()} />}
    </main>
  );
}
