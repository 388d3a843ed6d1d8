/** Tells the operator, once, what start-up found and fixed in the recordings (after a crash, say). */
import { useEffect, useState } from 'react';
import type { RecordingCheck } from '../../../shared/api.js';
import { api } from '../api/client';

function describe(check: RecordingCheck): string | null {
  const parts = [
    check.committed && `${check.committed} segment(s) from an interrupted run filed`,
    check.repaired && `${check.repaired} half-written segment(s) trimmed and kept`,
    check.removed && `${check.removed} unreadable fragment(s) removed`,
    check.indexed && `${check.indexed} file(s) re-indexed from disk`,
    check.missing && `${check.missing} indexed segment(s) missing from disk`,
    check.hashMismatches.length && `${check.hashMismatches.length} file(s) differ from the hash taken at recording`,
  ].filter(Boolean);
  return parts.length ? `Recordings checked at start: ${parts.join('; ')}.` : null;
}

export function RecordingCheckNotice() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    void api.getRecordingCheck().then((check) => setMessage(describe(check)), () => undefined);
  }, []);
  if (!message) return null;
  return (
    <p className="app-error recording-check" data-testid="recording-check" role="status">
      {message}{' '}
      <button type="button" className="link-button" onClick={() => setMessage(null)}>
        Dismiss
      </button>
    </p>
  );
}
