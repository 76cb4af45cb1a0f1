/**
 * For admins: one camera's own retention and storage priority (PUT /api/storage/cameras/{id}).
 * Empty fields follow the whole installation's retention (and priority 50). The server's refusal
 * is shown on the field it names.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { saveCameraStorage, type CameraStorage, type CameraStorageDocument, type StorageLimits } from '../../api/storage';
import { Field } from '../../components/Field';
import { FormModalFooter } from '../../components/FormModalFooter';
import { Modal } from '../../components/Modal';
import { formatAge } from './storageFormat';
import { CAMERA_FIELDS, CAMERA_KEYS, cameraDocument, cameraForm, inheritHint, refusedField, type CameraForm, type CameraKey } from './storageForm';

interface Props {
  camera: CameraStorage;
  /** The camera's stored document, when the server reports it. */
  document: CameraStorageDocument | null;
  /** The whole installation's retention in force. */
  retention: StorageLimits;
  onClose: () => void;
  onSaved: (document: CameraStorageDocument) => void;
}

export function CameraStorageDialog({ camera, document, retention, onClose, onSaved }: Props) {
  const formId = useId();
  const [form, setForm] = useState<CameraForm>(() => cameraForm(document));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field: CameraKey | null } | null>(null);

  const inherited: Record<CameraKey, string> = {
    retention_max_age: inheritHint(retention.max_age_seconds === null ? null : formatAge(retention.max_age_seconds), 'all cameras'),
    retention_max_gb: 'Empty: no size limit of its own (all cameras together keep the overall size)',
    priority: 'Empty: 50. When only locked footage is left, cameras of lowest priority stop recording first.',
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onSaved(await saveCameraStorage(camera.camera_id, cameraDocument(form)));
    } catch (err) {
      const message = errorMessage(err);
      const refused = refusedField(message, CAMERA_KEYS);
      setError(refused ? { message: refused.message, field: refused.field } : { message, field: null });
      setSaving(false);
      if (refused) window.requestAnimationFrame(() => window.document.querySelector<HTMLInputElement>(`[data-testid="camera-storage-${refused.field}"]`)?.focus());
    }
  };

  return (
    <Modal
      title={`Storage of ${camera.name}`}
      onClose={onClose}
      busy={saving}
      testId="camera-storage-dialog"
      footer={<FormModalFooter formId={formId} busy={saving} onCancel={onClose} submitLabel="Save" busyLabel="Saving…" submitTestId="camera-storage-save" />}
    >
      <form id={formId} className="form" onSubmit={submit} noValidate data-testid="camera-storage-form">
        {error && error.field === null && (
          <p className="form-error" role="alert" data-testid="camera-storage-error">
            {error.message}
          </p>
        )}
        <fieldset disabled={saving}>
          <div className="form-grid storage-form-grid">
            {CAMERA_FIELDS.map((spec) => (
              <Field key={spec.key} label={spec.label} className="span-4" hint={form[spec.key].trim() === '' ? inherited[spec.key] : undefined} error={error?.field === spec.key ? error.message : null}>
                <input
                  type="text"
                  inputMode={spec.kind === 'age' ? 'text' : spec.kind === 'priority' ? 'numeric' : 'decimal'}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={spec.placeholder}
                  value={form[spec.key]}
                  onChange={(e) => {
                    const value = e.target.value;
                    setForm((f) => ({ ...f, [spec.key]: value }));
                    if (error?.field === spec.key) setError(null);
                  }}
                  data-testid={`camera-storage-${spec.key}`}
                />
              </Field>
            ))}
          </div>
        </fieldset>
      </form>
    </Modal>
  );
}
