/** Marks a moment, or edits a bookmark: title, notes, tags, case reference, and how much before and after belongs to it. */
import { useState, type FormEvent } from 'react';
import type { Bookmark, BookmarkInput } from '../../../shared/incidents.js';
import { api } from '../api/client';
import { formErrors, NO_FORM_ERRORS, type FormErrors } from '../lib/form-errors';
import { formatLocalTime } from '../lib/format-time';
import { ModalDialog } from '../ui/modal-dialog';
import '../ui/form.css';

export interface BookmarkDraft {
  cameraIds: string[];
  cameraNames: string[];
  atMs: number;
  /** The bookmark being edited; a new one is made when absent. */
  existing?: Bookmark;
}

const DEFAULT_WINDOW_S = 30;
const FIELDS = ['title', 'notes', 'tags', 'caseReference', 'beforeMs', 'afterMs'] as const;
type Field = (typeof FIELDS)[number];
/** A blank or non-numeric entry goes through as NaN (null on the wire) for the core to name, never as 0. */
const milliseconds = (seconds: string) => Math.round((seconds.trim() === '' ? Number.NaN : Number(seconds)) * 1000);

export function BookmarkDialog({ draft, onClose }: { draft: BookmarkDraft; onClose(): void }) {
  const { existing } = draft;
  const [title, setTitle] = useState(existing?.title ?? '');
  const [notes, setNotes] = useState(existing?.notes ?? '');
  const [tags, setTags] = useState(existing?.tags.join(', ') ?? '');
  const [caseReference, setCaseReference] = useState(existing?.caseReference ?? '');
  const [before, setBefore] = useState(String(existing ? existing.beforeMs / 1000 : DEFAULT_WINDOW_S));
  const [after, setAfter] = useState(String(existing ? existing.afterMs / 1000 : DEFAULT_WINDOW_S));
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_FORM_ERRORS);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const input: BookmarkInput = {
      cameraIds: draft.cameraIds,
      atMs: draft.atMs,
      beforeMs: milliseconds(before),
      afterMs: milliseconds(after),
      title,
      notes,
      tags: tags.split(',').map((t) => t.trim()).filter(Boolean),
      caseReference,
    };
    try {
      if (existing) {
        const { cameraIds: _cameras, atMs: _at, ...changes } = input;
        await api.updateBookmark({ id: existing.id, changes });
      } else {
        await api.createBookmark(input);
      }
      onClose();
    } catch (error) {
      setErrors(formErrors(error, FIELDS));
      setSaving(false);
    }
  };

  const field = (id: Field, label: string, value: string, set: (v: string) => void, extra: { multiline?: boolean; placeholder?: string } = {}) => (
    <div className="form-field">
      <label htmlFor={`bookmark-${id}`}>{label}</label>
      {extra.multiline ? (
        <textarea id={`bookmark-${id}`} data-testid={`bookmark-${id}`} rows={3} value={value} onChange={(e) => set(e.target.value)} />
      ) : (
        <input id={`bookmark-${id}`} data-testid={`bookmark-${id}`} value={value} placeholder={extra.placeholder} aria-invalid={errors.fields[id] ? true : undefined} onChange={(e) => set(e.target.value)} />
      )}
      {errors.fields[id] && <p className="field-error" data-testid={`bookmark-error-${id}`}>{errors.fields[id]}</p>}
    </div>
  );

  return (
    <ModalDialog title={existing ? 'Edit bookmark' : 'Bookmark this moment'} testId="bookmark-dialog" onCancel={onClose}>
      <p className="dialog-lead" data-testid="bookmark-moment">
        {draft.cameraNames.join(', ')} at {formatLocalTime(draft.atMs)}
      </p>
      <form className="dialog-form" noValidate onSubmit={(e) => void submit(e)}>
        {field('title', 'Title', title, setTitle, { placeholder: 'What happened' })}
        {field('notes', 'Notes', notes, setNotes, { multiline: true })}
        {field('tags', 'Tags (comma-separated)', tags, setTags, { placeholder: 'assault, stairwell' })}
        {field('caseReference', 'Case reference (optional)', caseReference, setCaseReference)}
        {existing?.locked && <p className="dialog-lead">Under an evidence lock: lift it before changing how much footage belongs to the bookmark.</p>}
        <div className="form-row">
          {field('beforeMs', 'Seconds before', before, setBefore)}
          {field('afterMs', 'Seconds after', after, setAfter)}
        </div>
        {errors.general && <p className="form-error" role="alert" data-testid="bookmark-error">{errors.general}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" data-testid="bookmark-save" disabled={saving}>Save bookmark</button>
        </div>
      </form>
    </ModalDialog>
  );
}
