/**
 * The footer of a modal that wraps a form: Cancel, and a primary button that submits the form
 * by id (so it can sit outside the form element) and shows a busy label while saving.
 */
interface Props {
  formId: string;
  busy: boolean;
  onCancel: () => void;
  submitLabel: string;
  busyLabel: string;
  submitTestId?: string;
}

export function FormModalFooter({ formId, busy, onCancel, submitLabel, busyLabel, submitTestId }: Props) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="submit" form={formId} className="button button-primary" disabled={busy} data-testid={submitTestId}>
        {busy ? busyLabel : submitLabel}
      </button>
    </>
  );
}
