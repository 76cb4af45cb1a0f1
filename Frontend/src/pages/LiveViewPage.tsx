/**
 * Live View: the landing page. A grid of live cameras (1x1 to 4x4, paged), a collapsible camera
 * sidebar (grouped, show/hide per camera), sound per camera (muted by default), and a single
 * enlarged camera with digital zoom at `/live?camera=<id>` (Back or Escape returns to the grid).
 * Pipeline states come from GET /api/status every 5 s; what live detection sees on each camera
 * from the app's event stream. Layout, page, hidden cameras, sound and the
 * sidebar are remembered in localStorage (pages/live/liveSettings.ts).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { listCameras, setAllRecording, setRecording } from '../api/cameras';
import { errorMessage } from '../api/client';
import { getStatus } from '../api/status';
import type { Camera, CameraStatus } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { BackIcon, ChevronIcon, GridIcon, SidebarIcon } from '../components/icons';
import { cameraListState } from '../components/CameraListState';
import { EmptyState } from '../components/Status';
import { useToasts } from '../components/Toasts';
import { presenceOf } from '../events/presence';
import { usePresence } from '../hooks/useEventStream';
import { useResource } from '../hooks/useResource';
import { Link, navigate, useLocation } from '../router/router';
import { sortCameras } from '../util/cameras';
import { CameraSidebar } from './live/CameraSidebar';
import { CameraTile } from './live/CameraTile';
import { LAYOUTS, pageCount, useLiveSettings, type GridSize } from './live/liveSettings';

const STATUS_REFRESH_MS = 5000;
const CAMERAS_REFRESH_MS = 30_000;

function without(list: string[], id: string): string[] {
  return list.filter((x) => x !== id);
}

export function LiveViewPage() {
  const { isAdmin } = useAuth();
  const toasts = useToasts();
  const location = useLocation();
  const [settings, update] = useLiveSettings();
  const presence = usePresence();
  const loadCameras = useCallback((signal: AbortSignal) => listCameras(signal), []);
  const cameraResource = useResource(loadCameras, CAMERAS_REFRESH_MS);
  const loadStatus = useCallback((signal: AbortSignal) => getStatus(signal), []);
  const statusResource = useResource(loadStatus, STATUS_REFRESH_MS);
  const [pendingRecording, setPendingRecording] = useState<ReadonlySet<string>>(new Set());
  const [bulkBusy, setBulkBusy] = useState(false);
  const [confirmStopAll, setConfirmStopAll] = useState(false);

  const cameras = useMemo(() => (cameraResource.data ? sortCameras(cameraResource.data) : []), [cameraResource.data]);
  const statusById = useMemo(() => {
    const map = new Map<string, CameraStatus>();
    for (const s of statusResource.data?.cameras ?? []) map.set(s.id, s);
    return map;
  }, [statusResource.data]);
  const hidden = useMemo(() => new Set(settings.hidden), [settings.hidden]);
  const audio = useMemo(() => new Set(settings.audio), [settings.audio]);
  const visible = cameras.filter((c) => !hidden.has(c.id));
  const perPage = settings.layout * settings.layout;
  const pages = pageCount(visible.length, settings.layout);
  const page = Math.min(settings.page, pages - 1);
  const pageCameras = visible.slice(page * perPage, (page + 1) * perPage);

  const enlargedId = location.query.get('camera');
  const enlarged = enlargedId ? cameras.find((c) => c.id === enlargedId) ?? null : null;

  // Once the cameras are known, keep the stored page within range (not before: a reload would
  // otherwise always fall back to page 1).
  useEffect(() => {
    if (cameraResource.data && settings.page !== page) update((s) => ({ ...s, page }));
  }, [cameraResource.data, settings.page, page, update]);

  // An enlarged camera that no longer exists (deleted elsewhere): back to the grid.
  useEffect(() => {
    if (cameraResource.data && enlargedId && !enlarged) navigate('/live', true);
  }, [cameraResource.data, enlargedId, enlarged]);

  const backToGrid = useCallback(() => navigate('/live'), []);
  useEffect(() => {
    if (!enlargedId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !document.body.classList.contains('modal-open')) backToGrid();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enlargedId, backToGrid]);

  const enlarge = (camera: Camera) => navigate(`/live?camera=${encodeURIComponent(camera.id)}`);
  const setLayout = (layout: GridSize) =>
    update((s) => {
      // Keep the first camera of the current page on screen.
      const first = Math.min(s.page, pages - 1) * s.layout * s.layout;
      return { ...s, layout, page: Math.floor(first / (layout * layout)) };
    });
  const setPage = (next: number) => update((s) => ({ ...s, page: Math.max(0, Math.min(pages - 1, next)) }));
  const toggleHidden = (camera: Camera) =>
    update((s) => ({ ...s, hidden: s.hidden.includes(camera.id) ? without(s.hidden, camera.id) : [...s.hidden, camera.id] }));
  const toggleAudio = (camera: Camera, on: boolean) =>
    update((s) => ({ ...s, audio: on ? [...without(s.audio, camera.id), camera.id] : without(s.audio, camera.id) }));

  const toggleRecording = async (camera: Camera, on: boolean) => {
    setPendingRecording((s) => new Set(s).add(camera.id));
    try {
      const saved = await setRecording(camera.id, on);
      cameraResource.setData((list) => (list ? list.map((c) => (c.id === saved.id ? saved : c)) : list));
      void statusResource.reload();
      toasts.show(on ? `Recording started for ${camera.name}.` : `Recording stopped for ${camera.name}.`);
    } catch (err) {
      toasts.show(`Could not ${on ? 'start' : 'stop'} recording for ${camera.name}: ${errorMessage(err)}`, 'error');
    } finally {
      setPendingRecording((s) => {
        const next = new Set(s);
        next.delete(camera.id);
        return next;
      });
    }
  };

  const allRecording = async (on: boolean) => {
    setBulkBusy(true);
    try {
      const { updated } = await setAllRecording(on);
      await Promise.all([cameraResource.reload(), statusResource.reload()]);
      toasts.show(`${on ? 'Recording started' : 'Recording stopped'} on ${updated} camera${updated === 1 ? '' : 's'}.`);
    } catch (err) {
      toasts.show(`Could not ${on ? 'start' : 'stop'} all recording: ${errorMessage(err)}`, 'error');
    } finally {
      setBulkBusy(false);
    }
  };

  const renderGrid = () => {
    const state = cameraListState(cameraResource, cameras.length, isAdmin
      ? <>Add a camera on the <Link to="/setup">Setup</Link> page and it appears here.</>
      : 'An administrator has not added any cameras yet.');
    if (state) return state;
    if (enlargedId && enlarged) {
      return (
        <div className="live-single" data-testid="live-enlarged">
          <CameraTile
            key={enlarged.id}
            camera={enlarged}
            status={statusById.get(enlarged.id)}
            enlarged
            seen={presenceOf(presence, enlarged.id)}
            audioOn={audio.has(enlarged.id)}
            onToggleAudio={(on) => toggleAudio(enlarged, on)}
          />
        </div>
      );
    }
    if (visible.length === 0) {
      return (
        <EmptyState title="All cameras are hidden">
          <button type="button" className="link-button" onClick={() => update((s) => ({ ...s, hidden: [] }))}>
            Show all cameras
          </button>
        </EmptyState>
      );
    }
    const empties = perPage - pageCameras.length;
    return (
      <div className={`live-grid live-grid-${settings.layout}`} data-testid="live-grid" data-layout={settings.layout}>
        {pageCameras.map((camera) => (
          <CameraTile
            key={camera.id}
            camera={camera}
            status={statusById.get(camera.id)}
            enlarged={false}
            seen={presenceOf(presence, camera.id)}
            audioOn={audio.has(camera.id)}
            onToggleAudio={(on) => toggleAudio(camera, on)}
            onEnlarge={() => enlarge(camera)}
          />
        ))}
        {Array.from({ length: empties }, (_, i) => (
          <div key={`empty-${i}`} className="live-empty-slot" data-testid="live-empty-slot" aria-hidden="true" />
        ))}
      </div>
    );
  };

  const showingEnlarged = Boolean(enlargedId && enlarged);

  return (
    <main className={`live-page${settings.sidebarOpen ? ' sidebar-open' : ''}`} data-testid="live-page">
      {settings.sidebarOpen && cameraResource.data && (
        <CameraSidebar
          cameras={cameras}
          statusById={statusById}
          hidden={hidden}
          onToggleHidden={toggleHidden}
          onShowAll={() => update((s) => ({ ...s, hidden: [] }))}
          onSelect={enlarge}
          selectedId={showingEnlarged ? enlargedId : null}
          canEdit={isAdmin}
          pendingRecording={pendingRecording}
          onToggleRecording={(camera, on) => void toggleRecording(camera, on)}
          onAllRecording={(on) => (on ? void allRecording(true) : setConfirmStopAll(true))}
          bulkBusy={bulkBusy}
          onClose={() => update((s) => ({ ...s, sidebarOpen: false }))}
        />
      )}
      <section className="live-main">
        <div className="live-toolbar" role="toolbar" aria-label="Live View">
          <button
            type="button"
            className={`button button-small live-sidebar-toggle${settings.sidebarOpen ? ' active' : ''}`}
            onClick={() => update((s) => ({ ...s, sidebarOpen: !s.sidebarOpen }))}
            aria-expanded={settings.sidebarOpen}
            aria-label={settings.sidebarOpen ? 'Hide camera list' : 'Show camera list'}
            title={settings.sidebarOpen ? 'Hide camera list' : 'Show camera list'}
            data-testid="sidebar-toggle"
          >
            <SidebarIcon />
          </button>
          {showingEnlarged && enlarged ? (
            <>
              <button type="button" className="button button-small" onClick={backToGrid} data-testid="back-to-grid">
                <BackIcon /> Back to grid
              </button>
              <h1 className="live-title">{enlarged.name}</h1>
            </>
          ) : (
            <>
              <h1 className="live-title">Live View</h1>
              <div className="live-toolbar-spacer" />
              <div className="segmented" role="group" aria-label="Grid layout">
                {LAYOUTS.map((n) => (
                  <button
                    key={n}
                    type="button"
                    className={`segmented-button${settings.layout === n ? ' active' : ''}`}
                    onClick={() => setLayout(n)}
                    aria-pressed={settings.layout === n}
                    title={`${n}×${n} grid`}
                    data-testid={`layout-${n}`}
                  >
                    <GridIcon size={n} />
                    <span>
                      {n}×{n}
                    </span>
                  </button>
                ))}
              </div>
              <div className="pager" data-testid="pager">
                <button type="button" className="button button-small" onClick={() => setPage(page - 1)} disabled={page === 0} aria-label="Previous page" data-testid="page-prev">
                  <ChevronIcon direction="left" />
                </button>
                <span className="pager-text" data-testid="page-indicator" data-page={page + 1} data-pages={pages}>
                  Page {page + 1} of {pages}
                </span>
                <button type="button" className="button button-small" onClick={() => setPage(page + 1)} disabled={page >= pages - 1} aria-label="Next page" data-testid="page-next">
                  <ChevronIcon direction="right" />
                </button>
              </div>
            </>
          )}
        </div>
        {statusResource.error && (
          <p className="inline-warning live-warning" role="status" data-testid="status-error">
            Camera states could not be refreshed: {statusResource.error}
          </p>
        )}
        <div className="live-content">{renderGrid()}</div>
      </section>
      {confirmStopAll && (
        <ConfirmDialog
          title="Stop all recording"
          confirmLabel="Stop all recording"
          onClose={() => setConfirmStopAll(false)}
          onConfirm={async () => {
            setConfirmStopAll(false);
            await allRecording(false);
          }}
        >
          <p>
            Stop recording on all {cameras.length} camera{cameras.length === 1 ? '' : 's'}? Live view keeps working; nothing is recorded until recording is started again.
          </p>
        </ConfirmDialog>
      )}
    </main>
  );
}
