/** Loading, error and empty placeholders, so no screen is ever blank. */
import type { ReactNode } from 'react';

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role="presentation" aria-hidden={label ? undefined : true} aria-label={label} />;
}

export function LoadingState({ text }: { text: string }) {
  return (
    <div className="state-box" role="status" data-testid="loading">
      <Spinner />
      <span>{text}</span>
    </div>
  );
}

export function ErrorState({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <div className="state-box state-error" role="alert" data-testid="error-state">
      <div>
        <strong>{title}</strong>
        <p>{message}</p>
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state-box state-empty" data-testid="empty-state">
      <div>
        <strong>{title}</strong>
        {children && <div className="state-detail">{children}</div>}
      </div>
    </div>
  );
}
