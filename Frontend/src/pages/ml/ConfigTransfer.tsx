/**
 * Export and import of the detection settings of the scope shown: "Export" downloads its
 * pipeline JSON (GET /api/ml/config/export), "Import…" (admins) sends a chosen file back
 * (POST /api/ml/config/import) and hands the server's new settings to the editor.
 */
import { useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { exportDetectionConfig, importDetectionConfig, type ConfigScope, type DetectionConfigDocument } from '../../api/mlConfig';
import { useToasts } from '../../components/Toasts';
import { localDateStamp } from '../../util/dates';
import { saveBlob } from '../../util/download';

const MAX_BYTES = 1024 * 1024;

interface Props {
  scope: ConfigScope;
  scopeName: string;
  canImport: boolean;
  onImported: (document: DetectionConfigDocument) => void;
  onError: (message: string) => void;
}

/** "ronin-detection-front-door-2026-02-03.json" */
function fileName(scopeName: string): string {
  const slug = scopeName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'settings';
  return `ronin-detection-${slug}-${localDateStamp()}.json`;
}

export function ConfigTransfer({ scope, scopeName, canImport, onImported, onError }: Props) {
  const toasts = useToasts();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);

  const download = async () => {
    setBusy('export');
    try {
      const { blob, filename } = await exportDetectionConfig(scope);
      saveBlob(blob, filename ?? fileName(scopeName));
      toasts.show(`Exported the detection settings of ${scopeName}.`);
    } catch (err) {
      toasts.show(`Could not export: ${errorMessage(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const upload = async (file: File | undefined) => {
    if (input.current) input.current.value = '';
    if (!file) return;
    if (file.size > MAX_BYTES) {
      onError('The file is larger than 1 MiB, more than any settings file.');
      return;
    }
    setBusy('import');
    try {
      onImported(await importDetectionConfig(scope, await file.text()));
      toasts.show(`Imported ${file.name} into the settings of ${scopeName}.`);
    } catch (err) {
      onError(`Could not import ${file.name}: ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="toolbar">
      <button type="button" className="button button-small" onClick={() => void download()} disabled={busy !== null} data-testid="config-export">
        {busy === 'export' ? 'Exporting…' : 'Export'}
      </button>
      {canImport && (
        <>
          <button type="button" className="button button-small" onClick={() => input.current?.click()} disabled={busy !== null} data-testid="config-import">
            {busy === 'import' ? 'Importing…' : 'Import…'}
          </button>
          <input ref={input} type="file" accept=".json,application/json" hidden onChange={(e) => void upload(e.target.files?.[0])} data-testid="config-import-file" />
        </>
      )}
    </div>
  );
}
