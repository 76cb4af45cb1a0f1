/**
 * A centred dialog over a dimmed page. Escape closes it (unless `busy`); clicks outside do not,
 * so a half-filled form is never lost by accident. Focus moves into the dialog on open and back
 * to the previously focused element on close. A dialog opened over another (a confirmation over
 * a lightbox) takes Escape for itself, and the page stays still until the last one closes.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons shown in the footer. */
  footer?: ReactNode;
  /** While true, Escape and the close button do nothing (a request is in flight). */
  busy?: boolean;
  size?: 'small' | 'medium' | 'large' | 'wide';
  testId?: string;
}

export function Modal({ title, onClose, children, footer, busy = false, size = 'medium', testId = 'modal' }: ModalProps) {
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const dialog = dialogRef.current;
    if (dialog && !dialog.contains(document.activeElement)) {
      const first = dialog.querySelector<HTMLElement>('[autofocus], input:not([type=hidden]), select, textarea, button');
      (first ?? dialog).focus();
    }
    document.body.classList.add('modal-open');
    return () => {
      if (!document.querySelector('.modal')) document.body.classList.remove('modal-open');
      previous?.focus?.();
    };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const dialogs = document.querySelectorAll('.modal');
      if (dialogs[dialogs.length - 1] !== dialogRef.current) return;
      if (event.key === 'Escape' && !busy) {
        event.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  return (
    <div className="modal-backdrop">
      <div
        ref={dialogRef}
        className={`modal modal-${size}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
      >
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close dialog" onClick={onClose} disabled={busy}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-footer">{footer}</footer>}
      </div>
    </div>
  );
}
