/**
 * For admins: the storage policy of the whole installation (PUT /api/storage/policy). Every field
 * may be left empty to inherit the server's setting, shown under it. The server judges every
 * value; its refusal (422) is shown on the field it names, and the dialog stays open.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { saveStoragePolicy, type StoragePolicy, type TierStatus } from '../../api/storage';
import { Field } from '../../components/Field';
import { FormModalFooter } from '../../components/FormModalFooter';
import { Modal } from '../../components/Modal';
import { inForce, inheritHint, POLICY_GROUPS, POLICY_KEYS, policyDocument, policyForm, refusedField, type PolicyForm, type PolicyKey } from './storageForm';

interface Props {
  policy: StoragePolicy;
  tiers: TierStatus[];
  onClose: () => void;
  onSaved: (policy: StoragePolicy) => void;
}

export function StoragePolicyDialog({ policy, tiers, onClose, onSaved }: Props) {
  const formId = useId();
  const [form, setForm] = useState<PolicyForm>(() => policyForm(policy.document));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field: PolicyKey | null } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onSaved(await saveStoragePolicy(policyDocument(form)));
    } catch (err) {
      const message = errorMessage(err);
      const refused = refusedField(message, POLICY_KEYS);
      setError(refused ? { message: refused.message, field: refused.field } : { message, field: null });
      setSaving(false);
      // The refused field may be out of sight in the dialog: take the person to it.
      if (refused) window.requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`[data-testid="policy-${refused.field}"]`)?.focus());
    }
  };

  return (
    <Modal
      title="Storage policy"
      onClose={onClose}
      busy={saving}
      size="large"
      testId="storage-policy-dialog"
      footer={<FormModalFooter formId={formId} busy={saving} onCancel={onClose} submitLabel="Save policy" busyLabel="Saving…" submitTestId="storage-policy-save" />}
    >
      <form id={formId} className="form storage-policy-form" onSubmit={submit} noValidate data-testid="storage-policy-form">
        <p className="muted small">
          Ages are written with a unit (90s, 12h, 7d), sizes in GB (0.5 is allowed). An empty field follows the server’s own setting. Changes apply at the next check,
          which starts at once.
        </p>
        {error && error.field === null && (
          <p className="form-error" role="alert" data-testid="storage-policy-error">
            {error.message}
          </p>
        )}
        {POLICY_GROUPS.map((group) => {
          const missing = group.tier !== undefined && !tiers.some((t) => t.tier === group.tier && t.configured);
          return (
            <fieldset key={group.title} disabled={saving}>
              <legend>{group.title}</legend>
              {missing && <p className="muted small">This server has no {group.tier} storage yet; these limits apply once it has.</p>}
              <div className="form-grid storage-form-grid">
                {group.fields.map((spec) => (
                  <Field
                    key={spec.key}
                    label={spec.label}
                    className="span-2"
                    hint={form[spec.key].trim() !== '' ? undefined : policy.document[spec.key] ? 'Empty: the server’s own setting' : inheritHint(inForce(spec.key, policy), 'the server’s setting')}
                    error={error?.field === spec.key ? error.message : null}
                  >
                    <input
                      type="text"
                      inputMode={spec.kind === 'gb' ? 'decimal' : 'text'}
                      autoComplete="off"
                      spellCheck={false}
                      placeholder={spec.placeholder}
                      value={form[spec.key]}
                      onChange={(e) => {
                        const value = e.target.value;
                        setForm((f) => ({ ...f, [spec.key]: value }));
                        if (error?.field === spec.key) setError(null);
                      }}
                      data-testid={`policy-${spec.key}`}
                      data-invalid={error?.field === spec.key ? 'true' : undefined}
                    />
                  </Field>
                ))}
              </div>
            </fieldset>
          );
        })}
      </form>
    </Modal>
  );
}
