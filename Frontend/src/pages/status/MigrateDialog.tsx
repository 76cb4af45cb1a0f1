/**
 * For admins: move footage down a tier now (POST /api/storage/migrate): the cameras, the instant
 * their footage was recorded before (in the browser's local time) and where it goes (a configured
 * tier below hot). The answer says what was queued: recordings, bytes, and how many were already
 * on their way. Moves run in the background, verified, one at a time.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { migrateFootage, type CameraStorage, type MigrateResult, type TierName, type TierStatus } from '../../api/storage';
import { Checkbox, Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { formatBytes, plural } from '../../util/format';
import { tierLabel } from './storageFormat';
import { localInputValue, moveProblem, moveTargets, parseLocalInput } from './storageForm';

/** Quick choices for "recorded before"; "Now" rounds up to the next minute, so it takes everything recorded so far. */
const PRESETS = [
  { label: 'Now', ago: 0 },
  { label: 'A day ago', ago: 86_400_000 },
  { label: 'A week ago', ago: 7 * 86_400_000 },
  { label: '30 days ago', ago: 30 * 86_400_000 },
];

function presetInstant(ago: number): number {
  const minute = 60_000;
  return ago === 0 ? Math.ceil((Date.now() + 1) / minute) * minute : Date.now() - ago;
}

interface Props {
  cameras: CameraStorage[];
  tiers: TierStatus[];
  onClose: () => void;
  onQueued: () => void;
}

export function MigrateDialog({ cameras, tiers, onClose, onQueued }: Props) {
  const formId = useId();
  const targets = moveTargets(tiers);
  const [chosen, setChosen] = useState<string[]>(() => cameras.map((c) => c.camera_id));
  const [before, setBefore] = useState(() => localInputValue(Date.now() - 3600_000));
  const [tier, setTier] = useState<TierName | ''>(targets[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ answer: MigrateResult; tier: TierName; before: string } | null>(null);
  const problem = moveProblem(chosen, before, tier);

  const toggle = (id: string, on: boolean) => setChosen((list) => (on ? [...list.filter((c) => c !== id), id] : list.filter((c) => c !== id)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const instant = parseLocalInput(before);
    if (problem || instant === null || tier === '') return;
    setBusy(true);
    setError(null);
    try {
      const ordered = cameras.map((c) => c.camera_id).filter((id) => chosen.includes(id));
      const answer = await migrateFootage(ordered, new Date(instant).toISOString(), tier);
      setResult({ answer, tier, before });
      onQueued();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const footer = result ? (
    <>
      <button type="button" className="button" onClick={() => setResult(null)} data-testid="migrate-again">
        Move more
      </button>
      <button type="button" className="button button-primary" onClick={onClose} data-testid="migrate-close">
        Close
      </button>
    </>
  ) : (
    <>
      <button type="button" className="button" onClick={onClose} disabled={busy}>
        Cancel
      </button>
      <button type="submit" form={formId} className="button button-primary" disabled={busy || targets.length === 0} data-testid="migrate-submit">
        {busy ? 'Queuing…' : 'Move footage'}
      </button>
    </>
  );

  return (
    <Modal title="Move footage now" onClose={onClose} busy={busy} testId="migrate-dialog" footer={footer}>
      {result ? (
        <div
          className="migrate-result"
          role="status"
          data-testid="migrate-result"
          data-recordings={result.answer.recordings}
          data-queued={result.answer.queued}
          data-already-queued={result.answer.already_queued}
          data-bytes={result.answer.bytes}
          data-tier={result.tier}
        >
          {result.answer.recordings === 0 ? (
            <p>
              <strong>Nothing to move.</strong> These cameras have no footage above {result.tier} storage recorded before {result.before.replace('T', ' ')}.
            </p>
          ) : (
            <>
              <p>
                <strong>
                  {plural(result.answer.queued, 'recording')} ({formatBytes(result.answer.bytes)}) queued
                </strong>{' '}
                to move to {result.tier} storage.
              </p>
              {result.answer.already_queued > 0 && <p className="muted">{plural(result.answer.already_queued, 'recording was', 'recordings were')} already on the way.</p>}
              <p className="muted small">Each is copied, checked and only then removed from where it was; the tiers above show the progress.</p>
            </>
          )}
        </div>
      ) : (
        <form id={formId} className="form" onSubmit={submit} noValidate data-testid="migrate-form">
          {targets.length === 0 && <p className="inline-warning">This server has no warm or cold storage to move footage to.</p>}
          {error && (
            <p className="form-error" role="alert" data-testid="migrate-error">
              {error}
            </p>
          )}
          <fieldset disabled={busy}>
            <legend>Cameras</legend>
            <div className="migrate-cameras" data-testid="migrate-cameras">
              {cameras.map((camera) => (
                <Checkbox key={camera.camera_id} label={camera.name} checked={chosen.includes(camera.camera_id)} onChange={(on) => toggle(camera.camera_id, on)} testId="migrate-camera" />
              ))}
            </div>
          </fieldset>
          <fieldset disabled={busy}>
            <div className="form-grid storage-form-grid">
              <Field label="Recorded before" className="span-2" hint="Your local time" error={tried && parseLocalInput(before) === null ? 'Give a date and time.' : null}>
                <input type="datetime-local" value={before} onChange={(e) => setBefore(e.target.value)} data-testid="migrate-before" />
              </Field>
              <div className="span-2 migrate-presets" role="group" aria-label="Recorded before">
                {PRESETS.map((preset) => (
                  <button key={preset.label} type="button" className="button button-small" onClick={() => setBefore(localInputValue(presetInstant(preset.ago)))} data-testid="migrate-preset">
                    {preset.label}
                  </button>
                ))}
              </div>
              <Field label="Move to" className="span-2">
                <select value={tier} onChange={(e) => setTier(e.target.value as TierName)} data-testid="migrate-tier">
                  {targets.map((t) => (
                    <option key={t} value={t}>
                      {tierLabel(t)} storage
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          </fieldset>
          {tried && problem && (
            <p className="field-error" role="alert" data-testid="migrate-problem">
              {problem}
            </p>
          )}
        </form>
      )}
    </Modal>
  );
}
