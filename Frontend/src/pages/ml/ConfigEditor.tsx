/**
 * Detection settings, globally and per camera (GET /api/ml/config): pick the scope, change the
 * fields, save (PUT); the server's refusal (422, naming the field) shows above the form and on
 * the field. Export and import work on the scope shown. Admins edit; viewers see the same
 * settings read-only.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { getDetectionConfig, saveDetectionConfig, type ConfigScope, type DetectionConfig, type DetectionConfigDocument } from '../../api/mlConfig';
import { Field } from '../../components/Field';
import { ErrorState, LoadingState } from '../../components/Status';
import { useToasts } from '../../components/Toasts';
import { useResource } from '../../hooks/useResource';
import { configFromForm, fieldOfError, formFromConfig, formProblems, type ConfigForm, type FieldKey } from './configForm';
import { ConfigFields } from './ConfigFields';
import { ConfigTransfer } from './ConfigTransfer';

interface Props {
  /** The camera whose settings are shown, or null for the global ones. */
  cameraId: string | null;
  onCamera: (cameraId: string | null) => void;
  isAdmin: boolean;
}

const EMPTY: DetectionConfig = { live_enabled: null, cooldown_seconds: null, pipeline: null };

export function ConfigEditor({ cameraId, onCamera, isAdmin }: Props) {
  const toasts = useToasts();
  const load = useCallback((signal: AbortSignal) => getDetectionConfig(signal), []);
  const resource = useResource(load);
  const doc = resource.data;
  const camera = doc && cameraId ? doc.cameras.find((c) => c.camera_id.toLowerCase() === cameraId.toLowerCase()) ?? null : null;
  const scope: ConfigScope = camera ? { kind: 'camera', cameraId: camera.camera_id } : { kind: 'global' };
  const stored = doc ? (camera ? camera.config : doc.global) ?? EMPTY : null;
  const storedKey = JSON.stringify([camera?.camera_id ?? null, stored]);
  const [form, setForm] = useState<ConfigForm | null>(null);
  const [error, setError] = useState<{ message: string; field: FieldKey | null } | null>(null);
  const [saving, setSaving] = useState(false);

  const undo = useCallback(() => {
    setForm(stored ? formFromConfig(stored) : null);
    setError(null);
    // `storedKey` stands for the scope and `stored`'s contents.
  }, [storedKey]);
  // The stored settings of the scope shown, whenever they or the scope change.
  useEffect(undo, [undo]);

  const problems = useMemo(() => (form ? formProblems(form) : {}), [form]);
  const errors: Partial<Record<FieldKey, string>> = { ...problems, ...(error?.field ? { [error.field]: error.message } : {}) };
  const dirty = form !== null && stored !== null && JSON.stringify(configFromForm(form, stored)) !== JSON.stringify(configFromForm(formFromConfig(stored), stored));
  const scopeName = camera ? camera.name : 'all cameras';

  const accept = (answer: DetectionConfigDocument) => {
    resource.setData(() => answer);
    setError(null);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!form || !stored || Object.keys(problems).length > 0) return;
    setSaving(true);
    setError(null);
    try {
      accept(await saveDetectionConfig(scope, configFromForm(form, stored)));
      toasts.show(`Saved the detection settings of ${scopeName}.`);
    } catch (err) {
      const message = errorMessage(err);
      setError({ message, field: fieldOfError(message, form) });
    } finally {
      setSaving(false);
    }
  };

  if (!doc) {
    return resource.error ? (
      <ErrorState title="Could not load the detection settings" message={resource.error} onRetry={() => void resource.reload()} />
    ) : (
      <LoadingState text="Loading the detection settings…" />
    );
  }

  return (
    <section className="panel config-editor" data-testid="config-editor" data-scope={camera ? camera.camera_id.toLowerCase() : 'global'}>
      <div className="panel-head">
        <h2>Detection settings</h2>
        {!isAdmin && <span className="badge badge-muted" data-testid="config-read-only">Read only</span>}
        <ConfigTransfer scope={scope} scopeName={scopeName} canImport={isAdmin} onImported={accept} onError={(message) => setError({ message, field: null })} />
      </div>
      <div className="config-scope">
        <Field label="Settings for" hint={camera ? 'This camera’s own settings; empty fields follow the settings for all cameras.' : 'The settings every camera follows unless it has its own.'}>
          <select value={camera ? camera.camera_id.toLowerCase() : ''} onChange={(e) => onCamera(e.target.value || null)} data-testid="config-scope">
            <option value="">All cameras</option>
            {doc.cameras.map((c) => (
              <option key={c.camera_id} value={c.camera_id.toLowerCase()}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="config-error" data-field={error.field ?? ''}>
          {error.message}
        </p>
      )}
      {form && (
        <form className="form" onSubmit={save} noValidate data-testid="config-form">
          <fieldset className="config-fields" disabled={!isAdmin || saving}>
            <ConfigFields form={form} onChange={setForm} errors={errors} effective={camera?.effective ?? null} readOnly={!isAdmin} />
          </fieldset>
          {isAdmin && (
            <div className="form-actions">
              <button type="button" className="button" onClick={undo} disabled={!dirty || saving} data-testid="config-reset">
                Undo changes
              </button>
              <button type="submit" className="button button-primary" disabled={!dirty || saving || Object.keys(problems).length > 0} data-testid="config-save">
                {saving ? 'Saving…' : 'Save'}
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
