/**
 * The Status page's Storage tiers section (GET /api/storage with the rest of the page, GET
 * /api/storage/policy): a banner when storage is critical and which cameras' recording it paused;
 * each tier's disk, footage, days and backlog; the retention, the free-space rule and the last
 * check; each camera's rate, retention and priority; storage over time; the deletions log.
 * Admins edit the policies, check now and move footage down a tier; viewers see the same numbers
 * read-only (the server gives them no folders, buckets, paths or error texts).
 */
import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/client';
import { checkStorage, getStoragePolicy, type CameraStorage, type StorageOverview, type StoragePolicy } from '../../api/storage';
import { Spinner } from '../../components/Status';
import { useToasts } from '../../components/Toasts';
import { useResource, type Resource } from '../../hooks/useResource';
import { formatAge as formatAgo, formatBytes, plural } from '../../util/format';
import { CameraStorageDialog } from './CameraStorageDialog';
import { CameraStorageTable } from './CameraStorageTable';
import { DeletionsLog } from './DeletionsLog';
import { MigrateDialog } from './MigrateDialog';
import { Stat } from './Stat';
import { StorageChart } from './StorageChart';
import { StoragePolicyDialog } from './StoragePolicyDialog';
import { formatGB, retentionSentence } from './storageFormat';
import { moveTargets } from './storageForm';
import { TierCard } from './TierCard';

const POLICY_REFRESH_MS = 30_000;

interface Props {
  resource: Resource<StorageOverview | null>;
  now: number;
  isAdmin: boolean;
}

function CriticalBanner({ storage }: { storage: StorageOverview }) {
  const paused = storage.cameras.filter((c) => c.recording_paused);
  if (!storage.critical && paused.length === 0) return null;
  return (
    <div className="storage-critical" role="alert" data-testid="storage-critical" data-critical={String(storage.critical)} data-paused={paused.map((c) => c.camera_id.toLowerCase()).join(',')}>
      <strong>{storage.critical ? 'Storage is critical.' : 'Recording is held back for want of space.'}</strong>{' '}
      {storage.critical && (
        <span>
          {formatBytes(storage.shortfall_bytes)} more must be freed, and only footage kept by locked events is left to free it. Unlock events or add storage.{' '}
        </span>
      )}
      {paused.length > 0 ? (
        <span data-testid="storage-paused-cameras">
          Recording is paused for {paused.map((c) => c.name).join(', ')} (lowest storage priority first); live view goes on.
        </span>
      ) : (
        <span>No camera’s recording is paused.</span>
      )}
    </div>
  );
}

export function StorageSection({ resource, now, isAdmin }: Props) {
  const toasts = useToasts();
  const loadPolicy = useCallback((signal: AbortSignal) => getStoragePolicy(signal), []);
  const policy = useResource<StoragePolicy>(loadPolicy, POLICY_REFRESH_MS);
  const [dialog, setDialog] = useState<'policy' | 'migrate' | { camera: CameraStorage } | null>(null);
  const [checking, setChecking] = useState(false);
  const { data, error, loading } = resource;

  const cameraName = useCallback(
    (id: string) => data?.cameras.find((c) => c.camera_id.toLowerCase() === id.toLowerCase())?.name ?? null,
    [data],
  );

  const checkNow = async () => {
    setChecking(true);
    try {
      const after = await checkStorage();
      resource.setData(() => after);
      const c = after.last_check;
      toasts.show(
        c.error
          ? `The check failed: ${c.error}`
          : `Checked: ${plural(c.planned_deletions, 'deletion')} and ${plural(c.planned_moves, 'move')} planned, ${plural(c.queued, 'job')} queued.`,
        c.error ? 'error' : 'success',
      );
    } catch (err) {
      toasts.show(`Could not check storage: ${errorMessage(err)}`, 'error');
    } finally {
      setChecking(false);
    }
  };

  const body = () => {
    if (loading && data === null) {
      return (
        <p className="muted" role="status">
          <Spinner /> Loading the storage tiers…
        </p>
      );
    }
    if (data === null) {
      return error ? (
        <p className="inline-warning" role="status" data-testid="storage-error">
          Could not load the storage tiers: {error}
        </p>
      ) : (
        <p className="muted" data-testid="storage-unsupported">
          This server does not report storage tiers.
        </p>
      );
    }
    const check = data.last_check;
    const minFree = policy.data ? formatGB(policy.data.min_free_bytes) : null;
    return (
      <>
        {error && (
          <p className="inline-warning" role="status" data-testid="storage-error">
            Could not refresh the storage tiers: {error}
          </p>
        )}
        <CriticalBanner storage={data} />
        <div className="tier-grid" data-testid="tier-grid">
          {data.tiers.map((tier) => (
            <TierCard key={tier.tier} tier={tier} tiers={data.tiers} />
          ))}
        </div>
        <dl className="stat-list storage-stats">
          <Stat label="Retention" testId="storage-retention" data={{ 'data-seconds': data.retention.max_age_seconds ?? '', 'data-bytes': data.retention.max_bytes ?? '' }} value={retentionSentence(data.retention)} sub="in every tier; cameras may have their own" />
          <Stat label="Free space" testId="storage-min-free" data={{ 'data-bytes': policy.data?.min_free_bytes ?? '' }} value={minFree ? `${minFree} at least` : '—'} sub="kept free on every disk, and never less than an hour of recording" />
          <Stat
            label="Last check"
            testId="storage-last-check"
            data={{ 'data-at': check.at ?? '', 'data-queued': check.queued }}
            value={check.at ? `${formatAgo(check.at, now)} ago` : 'Not yet'}
            sub={check.error ? `failed: ${check.error}` : `${plural(check.planned_deletions, 'deletion')}, ${plural(check.planned_moves, 'move')} planned · ${plural(check.queued, 'job')} queued`}
          />
        </dl>
        <h3 className="panel-subhead">Cameras</h3>
        <CameraStorageTable cameras={data.cameras} isAdmin={isAdmin} onEdit={(camera) => setDialog({ camera })} />
        <h3 className="panel-subhead">Storage used over time</h3>
        <StorageChart />
        <h3 className="panel-subhead">Deleted footage</h3>
        <DeletionsLog isAdmin={isAdmin} cameraName={cameraName} />
      </>
    );
  };

  const cameraDocument = (id: string) => policy.data?.cameras?.find((c) => c.camera_id.toLowerCase() === id.toLowerCase())?.document ?? null;
  const afterChange = () => {
    void resource.reload();
    void policy.reload();
  };

  return (
    <section className="panel storage-section" data-testid="storage-section">
      <div className="panel-head">
        <h2>Storage tiers</h2>
        {isAdmin && data ? (
          <div className="panel-head-actions">
            <button type="button" className="button button-small" onClick={() => void checkNow()} disabled={checking} data-testid="storage-check">
              {checking ? 'Checking…' : 'Check now'}
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => setDialog('migrate')}
              disabled={moveTargets(data.tiers).length === 0 || data.cameras.length === 0}
              title={moveTargets(data.tiers).length === 0 ? 'This server has no warm or cold storage' : undefined}
              data-testid="storage-migrate"
            >
              Move footage…
            </button>
            <button type="button" className="button button-small" onClick={() => setDialog('policy')} disabled={!policy.data} data-testid="storage-edit-policy">
              Edit policy…
            </button>
          </div>
        ) : (
          !isAdmin && (
            <span className="badge badge-muted" data-testid="storage-read-only">
              Read only
            </span>
          )
        )}
      </div>
      {body()}
      {dialog === 'policy' && policy.data && data && (
        <StoragePolicyDialog
          policy={policy.data}
          tiers={data.tiers}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            policy.setData(() => saved);
            setDialog(null);
            toasts.show('Saved the storage policy; a check runs now.');
            afterChange();
          }}
        />
      )}
      {dialog === 'migrate' && data && <MigrateDialog cameras={data.cameras} tiers={data.tiers} onClose={() => setDialog(null)} onQueued={() => void resource.reload()} />}
      {dialog !== null && typeof dialog === 'object' && data && (
        <CameraStorageDialog
          camera={dialog.camera}
          document={cameraDocument(dialog.camera.camera_id)}
          retention={data.retention}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            toasts.show(`Saved the storage settings of ${dialog.camera.name}.`);
            afterChange();
          }}
        />
      )}
    </section>
  );
}
