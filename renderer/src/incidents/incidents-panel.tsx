/** Bookmarked incidents: search by words, tag, camera and date; a picture of each; play, export, lock. */
import { useCallback, useEffect, useState } from 'react';
import type { CameraView } from '../../../shared/api.js';
import type { Bookmark, BookmarkQuery } from '../../../shared/incidents.js';
import { api, mediaUrl, subscribeEvents } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { parseDateTime } from '../lib/date-time-text';
import { formatLocalTime } from '../lib/format-time';
import { PermissionHint } from '../session/permission-hint';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { DateTimeInput } from '../ui/date-time-input';
import type { ExportScope } from './export-dialog';
import { IncidentActions, INCIDENT_PERMISSIONS, type IncidentConfirm } from './incident-actions';
import './incidents-panel.css';

interface IncidentsPanelProps {
  cameras: ReadonlyMap<string, CameraView>;
  onPlay(bookmark: Bookmark): void;
  onEdit(bookmark: Bookmark): void;
  onExport(scope: ExportScope): void;
  onClose(): void;
}

/** A moment marked live is still being recorded: its picture appears once that segment closes. */
const THUMB_RETRY_MS = 3_000;
const THUMB_RETRIES = 10;

function Thumbnail({ id }: { id: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => void mediaUrl(`/media/bookmarks/${id}/thumb.jpg${attempt ? `?try=${attempt}` : ''}`).then(setSrc), [id, attempt]);
  const retry = () => attempt < THUMB_RETRIES && setTimeout(() => setAttempt((n) => n + 1), THUMB_RETRY_MS);
  return src ? <img className="incident-thumb" data-testid="incident-thumb" src={src} alt="" onError={retry} /> : <div className="incident-thumb" />;
}

/** Locking, unlocking and deleting ask first; a lock change goes on the record with its reason. */
function BookmarkConfirm({ bookmark, action, onClose }: { bookmark: Bookmark; action: IncidentConfirm; onClose(): void }) {
  const texts = {
    lock: { title: 'Place an evidence lock', message: `Keep the footage of “${bookmark.title}” through retention until the lock is lifted?`, confirm: 'Lock', reason: 'Why is this footage locked?' },
    unlock: { title: 'Lift the evidence lock', message: `Retention may then delete the footage of “${bookmark.title}” when it is old enough.`, confirm: 'Unlock', reason: 'Why is the lock lifted?' },
    delete: { title: 'Delete bookmark', message: `Delete “${bookmark.title}”? The footage stays; the deletion is recorded.`, confirm: 'Delete', reason: undefined },
  }[action];
  return (
    <ConfirmDialog
      title={texts.title}
      message={texts.message}
      confirmLabel={texts.confirm}
      reasonLabel={texts.reason}
      onConfirm={(reason) => (action === 'delete' ? api.deleteBookmark({ id: bookmark.id }) : api.setBookmarkLock({ id: bookmark.id, locked: action === 'lock', reason }))}
      onClose={onClose}
    />
  );
}

/**
 * A filter's bound from what was typed: a day (its first moment, or for "To" the first moment of the
 * next day, so the day is included) or a moment; nothing when empty.
 */
function filterBound(text: string, edge: 'from' | 'to'): { ms?: number; error?: string } {
  if (!text.trim()) return {};
  const parsed = parseDateTime(text, { dateOnly: true });
  if (!parsed.ok) return { error: parsed.error };
  if (!parsed.wholeDay || edge === 'from') return { ms: parsed.ms };
  const next = new Date(parsed.ms);
  next.setDate(next.getDate() + 1);
  return { ms: next.getTime() };
}

/** A date filter applied when the person leaves the field or presses Enter, not at every keystroke. */
function FilterTime({ label, testId, invalid, onCommit }: { label: string; testId: string; invalid: boolean; onCommit(text: string): void }) {
  const [draft, setDraft] = useState('');
  return (
    <label>
      {label}{' '}
      <DateTimeInput dateOnly data-testid={testId} value={draft} invalid={invalid} onChange={setDraft} onBlur={() => onCommit(draft)} onKeyDown={(e) => e.key === 'Enter' && onCommit(draft)} />
    </label>
  );
}

export function IncidentsPanel({ cameras, onPlay, onEdit, onExport, onClose }: IncidentsPanelProps) {
  const [text, setText] = useState('');
  const [tag, setTag] = useState('');
  const [cameraId, setCameraId] = useState('');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [from, to] = [filterBound(fromText, 'from'), filterBound(toText, 'to')];
  const [items, setItems] = useState<Bookmark[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ bookmark: Bookmark; action: IncidentConfirm } | null>(null);

  const load = useCallback(() => {
    const query: BookmarkQuery = {
      ...(text.trim() ? { text } : {}),
      ...(tag.trim() ? { tag: tag.trim() } : {}),
      ...(cameraId ? { cameraId } : {}),
      ...(from.ms !== undefined ? { fromMs: from.ms } : {}),
      ...(to.ms !== undefined ? { toMs: to.ms } : {}),
    };
    api.listBookmarks(query).then((found) => (setItems(found), setProblem(null)), (e) => setProblem(errorMessage(e)));
  }, [text, tag, cameraId, from.ms, to.ms]);
  useEffect(() => {
    load();
    return subscribeEvents((event) => {
      if (event.type === 'bookmarks.changed' || event.type === 'events.connected') load();
    });
  }, [load]);

  const names = (b: Bookmark) => b.cameraIds.map((id) => cameras.get(id)?.name ?? id);

  return (
    <section className="incidents-panel" data-testid="incidents-panel" aria-label="Incidents">
      <header className="incidents-header">
        <h2>Incidents</h2>
        <input type="search" placeholder="Search words or case reference" data-testid="incidents-search" value={text} onChange={(e) => setText(e.target.value)} />
        <input placeholder="Tag" data-testid="incidents-tag" value={tag} onChange={(e) => setTag(e.target.value)} />
        <select data-testid="incidents-camera" value={cameraId} onChange={(e) => setCameraId(e.target.value)}>
          <option value="">All cameras</option>
          {[...cameras.values()].map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
        <FilterTime label="From" testId="incidents-from" invalid={Boolean(from.error)} onCommit={setFromText} />
        <FilterTime label="To" testId="incidents-to" invalid={Boolean(to.error)} onCommit={setToText} />
        <button type="button" className="incidents-close" data-testid="incidents-close" onClick={onClose}>Back to live wall</button>
      </header>
      <div className="incidents-hints">
        {INCIDENT_PERMISSIONS.map((permission) => <PermissionHint key={permission} permission={permission} />)}
      </div>
      {[from.error, to.error].map((error, i) => error && <p key={i} className="field-error incidents-filter-error" data-testid={`incidents-${i ? 'to' : 'from'}-error`}>{i ? 'To' : 'From'}: {error}</p>)}
      {problem && <p className="app-error" role="alert">{problem}</p>}
      {items.length === 0 && <p className="incidents-empty">No bookmarks match. Press ★ on a tile (or B on a selected tile) to mark a moment.</p>}
      <ul className="incidents-list">
        {items.map((b) => (
          <li key={b.id} className="incident" data-testid="incident" data-bookmark-id={b.id}>
            <Thumbnail id={b.id} />
            <div className="incident-body">
              <h3>
                {b.title} {b.locked && <span className="lock-badge" data-testid="incident-locked" title="Evidence lock: kept through retention">LOCKED</span>}
              </h3>
              <p className="incident-meta">
                {formatLocalTime(b.atMs)} · {names(b).join(', ')} · −{b.beforeMs / 1000} s / +{b.afterMs / 1000} s{b.caseReference && <> · case {b.caseReference}</>} · by {b.createdBy}
              </p>
              {b.notes && <p className="incident-notes">{b.notes}</p>}
              <p className="incident-tags">{b.tags.map((t) => <span key={t} className="tag">{t}</span>)}</p>
            </div>
            <IncidentActions
              bookmark={b}
              onPlay={() => onPlay(b)}
              onEdit={() => onEdit(b)}
              onExport={() => onExport({ cameraIds: b.cameraIds, cameraNames: names(b), fromMs: b.atMs - b.beforeMs, toMs: b.atMs + b.afterMs, caseReference: b.caseReference })}
              onConfirm={(action) => setConfirming({ bookmark: b, action })}
            />
          </li>
        ))}
      </ul>
      {confirming && <BookmarkConfirm {...confirming} onClose={() => setConfirming(null)} />}
    </section>
  );
}
