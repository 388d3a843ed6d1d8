/**
 * Marking a span for export: in and out at the moment on screen, cleared with ×; Export… takes the
 * marked span, or without marks a minute around the moment on screen.
 */
import { formatLocalTime } from '../lib/format-time';
import { PermissionHint, usePermission } from '../session/permission-hint';

export interface Span {
  fromMs: number;
  toMs: number;
}

/** Without marks, an export covers this much either side of the moment on screen. */
const UNMARKED_EXPORT_MS = 30_000;

interface PlaybackMarksProps {
  cursor: number | null;
  markIn: number | null;
  markOut: number | null;
  onMark(edge: 'in' | 'out', ms: number | null): void;
  onExport(span: Span): void;
}

/** The marked span, when in comes before out. */
export const markedSpan = (markIn: number | null, markOut: number | null): Span | null =>
  markIn !== null && markOut !== null && markOut > markIn ? { fromMs: markIn, toMs: markOut } : null;

export function PlaybackMarks({ cursor, markIn, markOut, onMark, onExport }: PlaybackMarksProps) {
  const exporting = usePermission('evidence.export');
  const marked = markedSpan(markIn, markOut);
  const mark = (edge: 'in' | 'out', at: number | null, title: string) => (
    <button type="button" data-testid={`playback-mark-${edge}`} data-at-ms={at ?? undefined} disabled={cursor === null || !exporting.allowed} onClick={() => onMark(edge, cursor)} title={exporting.refusal ?? title}>
      Mark {edge}{at !== null && ` ${formatLocalTime(at, false)}`}
    </button>
  );
  return (
    <span className="playback-marks">
      {mark('in', markIn, 'Export from the moment on screen')}
      {mark('out', markOut, 'Export up to the moment on screen')}
      {(markIn !== null || markOut !== null) && (
        <button type="button" data-testid="playback-clear-marks" title="Clear the marks (the timeline follows the present again)" onClick={() => (onMark('in', null), onMark('out', null))}>×</button>
      )}
      <button
        type="button"
        data-testid="playback-export"
        disabled={(cursor === null && !marked) || !exporting.allowed}
        title={exporting.refusal}
        onClick={() => onExport(marked ?? { fromMs: cursor! - UNMARKED_EXPORT_MS, toMs: Math.min(Date.now(), cursor! + UNMARKED_EXPORT_MS) })}
      >
        Export…
      </button>
      <PermissionHint permission="evidence.export" />
    </span>
  );
}
