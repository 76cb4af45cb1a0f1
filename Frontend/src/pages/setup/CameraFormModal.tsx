/**
 * Add/Edit camera dialog: every camera field, a "Test connection" button that probes the stream
 * (on edit it passes camera_id so the stored password is used while the field is blank), and
 * Save, which keeps the dialog open and shows the server's validation errors inline
 * (409 name taken, 422 probe failed / invalid values). "Save without checking the stream" sends
 * ?validate=false.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createCamera, testConnection, updateCamera } from '../../api/cameras';
import { ApiError, errorMessage } from '../../api/client';
import type { Camera, Transport } from '../../api/types';
import { Checkbox, Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import {
  connectionKey,
  emptyForm,
  formFromCamera,
  inputFromForm,
  patchFromForm,
  probeFromForm,
  validateForm,
  type CameraFormState,
  type FormErrors,
} from './cameraForm';
import { ProbeResultPanel, type ProbeState } from './ProbeResultPanel';

/** Ends a server message with a full stop so more text can follow it. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : trimmed + '.';
}

interface CameraFormModalProps {
  /** The camera being edited, or null to add one. */
  camera: Camera | null;
  /** Sort order proposed for a new camera. */
  nextSortOrder: number;
  onClose: () => void;
  onSaved: (camera: Camera, created: boolean) => void;
}

export function CameraFormModal({ camera, nextSortOrder, onClose, onSaved }: CameraFormModalProps) {
  const editing = camera !== null;
  const [form, setForm] = useState<CameraFormState>(() => (camera ? formFromCamera(camera) : emptyForm(nextSortOrder)));
  const [errors, setErrors] = useState<FormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [skipValidation, setSkipValidation] = useState(false);
  const [saving, setSaving] = useState(false);
  const [probe, setProbe] = useState<ProbeState>({ status: 'idle' });
  const formErrorRef = useRef<HTMLParagraphElement>(null);

  // The dialog body scrolls: bring a new save error into view so it is never missed.
  useEffect(() => {
    if (formError) formErrorRef.current?.scrollIntoView({ block: 'nearest' });
  }, [formError]);

  const set = <K extends keyof CameraFormState>(key: K, value: CameraFormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const text = (key: keyof CameraFormState) => (e: { target: { value: string } }) => set(key, e.target.value as never);

  const currentKey = connectionKey(form);
  const probeStale = (probe.status === 'ok' || probe.status === 'error') && probe.key !== currentKey;

  const runProbe = async () => {
    const found = validateForm(form);
    const connectionErrors: FormErrors = { host: found.host, port: found.port };
    if (connectionErrors.host || connectionErrors.port) {
      setErrors((e) => ({ ...e, ...connectionErrors }));
      return;
    }
    const key = currentKey;
    setProbe({ status: 'running' });
    try {
      const result = await testConnection(probeFromForm(form, camera?.id ?? null));
      setProbe({ status: 'ok', result, key });
    } catch (err) {
      setProbe({ status: 'error', message: errorMessage(err), key });
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateForm(form);
    setErrors(found);
    if (Object.values(found).some(Boolean)) {
      setFormError('Check the highlighted fields.');
      return;
    }
    setFormError(null);
    setSaving(true);
    try {
      let saved: Camera;
      if (camera) {
        const patch = patchFromForm(camera, form);
        if (Object.keys(patch).length === 0) {
          onClose();
          return;
        }
        saved = await updateCamera(camera.id, patch, !skipValidation);
      } else {
        saved = await createCamera(inputFromForm(form, false), !skipValidation);
      }
      onSaved(saved, !camera);
    } catch (err) {
      setSaving(false);
      if (err instanceof ApiError && err.status === 409) {
        const message = err.message;
        setErrors((e) => ({ ...e, name: message }));
        setFormError(message);
      } else if (err instanceof ApiError && err.code === 'probe_failed') {
        setFormError(`The stream could not be checked: ${asSentence(err.message)} Fix the connection settings, or tick “Save without checking the stream” to store the camera anyway.`);
      } else {
        setFormError(errorMessage(err));
      }
    }
  };

  const busy = saving;
  const probing = probe.status === 'running';

  return (
    <Modal
      title={editing ? `Edit camera “${camera.name}”` : 'Add camera'}
      onClose={onClose}
      busy={busy}
      size="large"
      testId="camera-modal"
      footer={
        <>
          <Checkbox
            label="Save without checking the stream"
            checked={skipValidation}
            onChange={setSkipValidation}
            disabled={busy}
            testId="skip-validation"
          />
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="camera-form" className="button button-primary" disabled={busy || probing} data-testid="save-camera">
            {saving ? (skipValidation ? 'Saving…' : 'Checking stream and saving…') : editing ? 'Save changes' : 'Add camera'}
          </button>
        </>
      }
    >
      <form id="camera-form" className="form camera-form" onSubmit={save} noValidate>
        <fieldset disabled={busy}>
          <legend>Camera</legend>
          <div className="form-grid">
            <Field label="Name" error={errors.name} className="span-2">
              <input name="name" value={form.name} onChange={text('name')} autoFocus maxLength={200} placeholder="Front door" />
            </Field>
            <Field label="Group" hint="Optional, e.g. Outside.">
              <input name="group" value={form.group} onChange={text('group')} maxLength={200} />
            </Field>
            <Field label="Sort order" error={errors.sort_order} hint="Lower numbers come first.">
              <input name="sort_order" type="number" inputMode="numeric" step={1} value={form.sort_order} onChange={text('sort_order')} />
            </Field>
          </div>
        </fieldset>

        <fieldset disabled={busy}>
          <legend>Connection</legend>
          <div className="form-grid">
            <Field label="Host" error={errors.host} className="span-2" hint="IP address or host name, without rtsp://.">
              <input name="host" value={form.host} onChange={text('host')} autoCapitalize="none" spellCheck={false} placeholder="192.168.1.20" />
            </Field>
            <Field label="Port" error={errors.port}>
              <input name="port" type="number" inputMode="numeric" min={1} max={65535} value={form.port} onChange={text('port')} />
            </Field>
            <Field label="Transport">
              <select name="transport" value={form.transport} onChange={(e) => set('transport', e.target.value as Transport)}>
                <option value="tcp">TCP (reliable)</option>
                <option value="udp">UDP</option>
              </select>
            </Field>
            <Field label="Username" className="span-2">
              <input name="username" value={form.username} onChange={text('username')} autoComplete="off" autoCapitalize="none" spellCheck={false} />
            </Field>
            <Field
              label="Password"
              className="span-2"
              hint={
                editing
                  ? camera.has_password
                    ? 'Leave blank to keep the stored password.'
                    : 'No password stored.'
                  : 'Stored encrypted; never shown again.'
              }
            >
              <input
                name="password"
                type="password"
                value={form.password}
                onChange={text('password')}
                autoComplete="new-password"
                disabled={form.removePassword}
                placeholder={editing && camera.has_password ? '••••••••' : ''}
              />
            </Field>
            {editing && camera.has_password && (
              <div className="span-4">
                <Checkbox
                  label="Remove the stored password"
                  checked={form.removePassword}
                  onChange={(v) => setForm((f) => ({ ...f, removePassword: v, password: v ? '' : f.password }))}
                  testId="remove-password"
                />
              </div>
            )}
            <Field label="Stream path" className="span-2" hint="Main stream, recorded, e.g. /Streaming/Channels/101.">
              <input name="stream_path" value={form.stream_path} onChange={text('stream_path')} autoCapitalize="none" spellCheck={false} />
            </Field>
            <Field label="Sub-stream path" className="span-2" hint="Optional lower-resolution stream for live view.">
              <input name="substream_path" value={form.substream_path} onChange={text('substream_path')} autoCapitalize="none" spellCheck={false} />
            </Field>
          </div>
          <div className="probe-row">
            <button type="button" className="button" onClick={runProbe} disabled={probing || busy} data-testid="test-connection">
              {probing ? 'Testing…' : 'Test connection'}
            </button>
            <span className="muted small">Opens the main stream and reports what the camera sends.</span>
          </div>
          <ProbeResultPanel state={probe} stale={probeStale} />
        </fieldset>

        <fieldset disabled={busy}>
          <legend>Options</legend>
          <div className="checkbox-row">
            <Checkbox label="Enabled" hint="Connect to this camera." checked={form.enabled} onChange={(v) => set('enabled', v)} name="enabled" />
            <Checkbox label="Recording" hint="Record continuously." checked={form.recording_enabled} onChange={(v) => set('recording_enabled', v)} name="recording_enabled" />
            <Checkbox label="Audio" hint="Keep the audio track." checked={form.audio_enabled} onChange={(v) => set('audio_enabled', v)} name="audio_enabled" />
          </div>
        </fieldset>

        {formError && (
          <p className="form-error" role="alert" data-testid="form-error" ref={formErrorRef}>
            {formError}
          </p>
        )}
      </form>
    </Modal>
  );
}
