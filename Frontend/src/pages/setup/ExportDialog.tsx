/**
 * Downloads the camera list (GET /api/cameras/export) as ronin-cameras-YYYY-MM-DD.json. With a
 * passphrase (X-Export-Passphrase, 8+ characters) the camera passwords are included, encrypted.
 */
import { useState, type FormEvent } from 'react';
import { exportCameras } from '../../api/cameras';
import { errorMessage } from '../../api/client';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useToasts } from '../../components/Toasts';
import { localDateStamp } from '../../util/dates';
import { saveBlob } from '../../util/download';
import { FormModalFooter } from '../../components/FormModalFooter';

const MIN_PASSPHRASE = 8;

export function exportFileName(date = new Date()): string {
  return `ronin-cameras-${localDateStamp(date)}.json`;
}

export function ExportDialog({ onClose }: { onClose: () => void }) {
  const toasts = useToasts();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const tooShort = passphrase.length > 0 && passphrase.length < MIN_PASSPHRASE;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (tooShort) {
      setError(`The passphrase needs at least ${MIN_PASSPHRASE} characters, or leave it empty.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const blob = await exportCameras(passphrase);
      const name = exportFileName();
      saveBlob(blob, name);
      toasts.show(passphrase ? `Exported ${name} with encrypted passwords.` : `Exported ${name} (without passwords).`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Export cameras"
      onClose={onClose}
      busy={busy}
      size="small"
      testId="export-dialog"
      footer={<FormModalFooter formId="export-form" busy={busy} onCancel={onClose} submitLabel="Download export" busyLabel="Exporting…" submitTestId="export-download" />}
    >
      <form id="export-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">Saves every camera’s settings to a JSON file you can import on another Ronin NVR.</p>
        <Field
          label="Passphrase (optional)"
          error={tooShort ? `At least ${MIN_PASSPHRASE} characters.` : null}
          hint="Without a passphrase, camera passwords are left out. With one, they are included encrypted and the same passphrase is needed to import them."
        >
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="export-passphrase" autoFocus />
        </Field>
        {error && (
          <p className="form-error" role="alert" data-testid="form-error">
            {error}
          </p>
        )}
      </form>
    </Modal>
  );
}
