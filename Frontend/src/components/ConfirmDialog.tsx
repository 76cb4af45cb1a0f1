/**
 * Asks the user to confirm a destructive action. Runs `onConfirm` (async) with a busy state and
 * shows its error inside the dialog instead of closing, so a server refusal is visible.
 */
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { Modal } from './Modal';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  danger?: boolean;
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose, danger = true }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={title}
      onClose={onClose}
      busy={busy}
      size="small"
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'button button-danger' : 'button button-primary'}
            onClick={confirm}
            disabled={busy}
            data-testid="confirm-button"
            autoFocus
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <div className="confirm-text">{children}</div>
      {error && (
        <p className="form-error" role="alert" data-testid="confirm-error">
          {error}
        </p>
      )}
    </Modal>
  );
}
