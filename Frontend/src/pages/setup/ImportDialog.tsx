/**
 * Imports a camera export file (POST /api/cameras/import) and shows the server's per-camera
 * report: created, skipped (name exists) and refused (invalid, or credentials not decryptable).
 */
import { useState, type FormEvent } from 'react';
import { importCameras } from '../../api/cameras';
import { errorMessage } from '../../api/client';
import type { ImportReport } from '../../api/types';
import { Checkbox, Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { ImportReportView } from './ImportReportView';

const MAX_BYTES = 8 * 1024 * 1024;

interface FileSummary {
  text: string;
  cameraCount: number | null;
  encrypted: boolean;
}

/** Reads the chosen file and sanity-checks it is JSON before anything is sent. */
async function readExportFile(file: File): Promise<FileSummary> {
  if (file.size > MAX_BYTES) throw new Error('The file is larger than 8 MiB, the import limit.');
  const text = await file.text();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('The file is not valid JSON. Choose a file made by “Export cameras”.');
  }
  const record = (doc ?? {}) as { cameras?: unknown; credentials?: unknown };
  return {
    text,
    cameraCount: Array.isArray(record.cameras) ? record.cameras.length : null,
    encrypted: record.credentials === 'encrypted',
  };
}

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const [file, setFile] = useState<FileSummary | null>(null);
  const [fileName, setFileName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [validate, setValidate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const chooseFile = async (chosen: File | undefined) => {
    setError(null);
    setFile(null);
    setFileName(chosen?.name ?? '');
    if (!chosen) return;
    try {
      setFile(await readExportFile(chosen));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setError(error ?? 'Choose an export file first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await importCameras(file.text, passphrase, validate);
      setReport(result);
      if (result.created.length > 0) onImported();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (report) {
    return (
      <Modal
        title="Import finished"
        onClose={onClose}
        testId="import-dialog"
        footer={
          <button type="button" className="button button-primary" onClick={onClose} data-testid="import-done">
            Done
          </button>
        }
      >
        <ImportReportView report={report} />
      </Modal>
    );
  }

  return (
    <Modal
      title="Import cameras"
      onClose={onClose}
      busy={busy}
      testId="import-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="import-form" className="button button-primary" disabled={busy || !file} data-testid="import-submit">
            {busy ? 'Importing…' : 'Import'}
          </button>
        </>
      }
    >
      <form id="import-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">Adds the cameras from a file made by “Export cameras”. Cameras whose name already exists are skipped.</p>
        <Field
          label="Export file"
          hint={
            file
              ? `${fileName}: ${file.cameraCount ?? 'unknown number of'} camera${file.cameraCount === 1 ? '' : 's'}${file.encrypted ? ', passwords encrypted' : ', no passwords'}.`
              : 'A .json file.'
          }
        >
          <input type="file" accept=".json,application/json" onChange={(e) => chooseFile(e.target.files?.[0])} data-testid="import-file" />
        </Field>
        <Field
          label="Passphrase"
          hint={
            file?.encrypted
              ? 'This file carries encrypted passwords: enter the passphrase used for the export, or those cameras are refused.'
              : 'Only needed for files exported with a passphrase.'
          }
        >
          <input type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="import-passphrase" />
        </Field>
        <Checkbox
          label="Check each camera’s stream while importing"
          hint="Slower; cameras that cannot be reached are refused."
          checked={validate}
          onChange={setValidate}
        />
        {error && (
          <p className="form-error" role="alert" data-testid="form-error">
            {error}
          </p>
        )}
      </form>
    </Modal>
  );
}
