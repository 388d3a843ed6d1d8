/** The control-room window: camera list on the left, layout switcher on top, the wall filling the rest. */
import { useMemo, useState } from 'react';
import type { CameraView } from '../../shared/api.js';
import { api } from './api/client';
import { CameraDialog } from './cameras/camera-dialog';
import { ConfirmDialog } from './ui/confirm-dialog';
import { CameraSidebar } from './wall/camera-sidebar';
import { TopBar } from './wall/top-bar';
import { useCameras } from './wall/use-cameras';
import { useStreamStatuses } from './wall/use-stream-statuses';
import { useWall } from './wall/use-wall';
import { VideoWall } from './wall/video-wall';
import { withLayout, withTileTour, withWallTour } from './wall/wall-edits';
import { TourDialog } from './wall/tour-dialog';
import { ShortcutsHelp } from './ui/shortcuts-help';
import { THIS_WALL } from './wall/this-wall';
import './app.css';
import { PlaybackPanel } from './playback/playback-panel';
import { RetentionDialog } from './settings/retention-dialog';
import { BookmarkDialog, type BookmarkDraft } from './incidents/bookmark-dialog';
import { ExportDialog, type ExportScope } from './incidents/export-dialog';
import { IncidentsPanel } from './incidents/incidents-panel';
import { VerifyDialog } from './incidents/verify-dialog';
import { RecordingCheckNotice } from './wall/recording-check-notice';
import { AuditStatusNotice } from './wall/audit-status-notice';
import { tileCount } from '../../shared/layouts.js';

/** The distinct cameras shown on the visible tiles, in tile order. */
function wallCameras(tiles: ReadonlyArray<string | null>, byId: ReadonlyMap<string, CameraView>): CameraView[] {
  const ids = [...new Set(tiles.filter((id): id is string => id !== null))];
  return ids.map((id) => byId.get(id)).filter((c): c is CameraView => c !== undefined);
}

export function App() {
  const { cameras, error: camerasError } = useCameras();
  const { wall, error: wallError, setWall } = useWall();
  const { statuses, report } = useStreamStatuses();
  /** The camera dialog, when open: `camera` null adds a new one. */
  const [editing, setEditing] = useState<{ camera: CameraView | null } | null>(null);
  const [removing, setRemoving] = useState<CameraView | null>(null);
  /** Playback, when open: of the wall's cameras, or of a bookmark's from its moment. */
  const [playback, setPlayback] = useState<{ cameras: CameraView[]; startAtMs?: number } | null>(null);
  const [retention, setRetention] = useState(false);
  const [incidents, setIncidents] = useState(false);
  const [bookmarkDraft, setBookmarkDraft] = useState<BookmarkDraft | null>(null);
  const [exporting, setExporting] = useState<ExportScope | null>(null);
  const [verifying, setVerifying] = useState<string | null>(null);
  /** The tour dialog, when open: of one tile, or of the whole wall. */
  const [helpOpen, setHelpOpen] = useState(false);
  const [touring, setTouring] = useState<{ tile: number } | { wall: true } | null>(null);
  const camerasById = useMemo(() => new Map((cameras ?? []).map((camera) => [camera.id, camera])), [cameras]);
  const problems = [camerasError, wallError].filter((problem): problem is string => problem !== null);

  return (
    <div className="app">
      <TopBar
        layout={wall?.layout ?? null}
        onLayout={(layout) => wall && setWall(withLayout(wall, layout))}
        onPlayback={wall && cameras ? () => setPlayback({ cameras: wallCameras(wall.tiles.slice(0, tileCount(wall.layout)), camerasById) }) : undefined}
        onRetention={() => setRetention(true)}
        onIncidents={() => setIncidents(true)}
        onVerify={() => setVerifying('')}
        onWallTour={() => setTouring({ wall: true })}
        onHelp={() => setHelpOpen(true)}
      />
      <CameraSidebar
        cameras={cameras}
        statuses={statuses}
        onAdd={() => setEditing({ camera: null })}
        onEdit={(camera) => setEditing({ camera })}
        onRemove={setRemoving}
      />
      <main className="wall-area">
        <AuditStatusNotice />
        <RecordingCheckNotice />
        {problems.map((problem) => (
          <p key={problem} className="app-error" data-testid="app-error" role="alert">
            {problem}
          </p>
        ))}
        {wall ? (
          <VideoWall
            wall={wall}
            cameras={camerasById}
            statuses={statuses}
            onChange={setWall}
            onStatus={report}
            onBookmark={(cameraId, atMs) => setBookmarkDraft({ cameraIds: [cameraId], cameraNames: [camerasById.get(cameraId)?.name ?? cameraId], atMs })}
            onTour={(tile) => setTouring({ tile })}
          />
        ) : (
          <p className="wall-loading">Loading the wall…</p>
        )}
        {incidents && (
          <IncidentsPanel
            cameras={camerasById}
            onPlay={(b) => setPlayback({ cameras: b.cameraIds.map((id) => camerasById.get(id)).filter((c): c is CameraView => c !== undefined), startAtMs: b.atMs - b.beforeMs })}
            onEdit={(b) => setBookmarkDraft({ cameraIds: b.cameraIds, cameraNames: b.cameraIds.map((id) => camerasById.get(id)?.name ?? id), atMs: b.atMs, existing: b })}
            onExport={setExporting}
            onClose={() => setIncidents(false)}
          />
        )}
        {playback && <PlaybackPanel cameras={playback.cameras} startAtMs={playback.startAtMs} onExport={setExporting} onClose={() => setPlayback(null)} />}
      </main>
      {retention && <RetentionDialog onClose={() => setRetention(false)} />}
      {bookmarkDraft && <BookmarkDialog draft={bookmarkDraft} onClose={() => setBookmarkDraft(null)} />}
      {exporting && <ExportDialog scope={exporting} onClose={() => setExporting(null)} onVerify={(path) => (setExporting(null), setVerifying(path))} />}
      {verifying !== null && <VerifyDialog initialPath={verifying} onClose={() => setVerifying(null)} />}
      <ShortcutsHelp open={helpOpen} onOpen={() => setHelpOpen(true)} onClose={() => setHelpOpen(false)} />
      {touring && wall && (
        <TourDialog
          title={'tile' in touring ? `Tour on tile ${touring.tile + 1}` : 'Tour on the whole wall'}
          cameras={cameras ?? []}
          tour={('tile' in touring ? wall.tours?.[touring.tile] : wall.tour) ?? null}
          preselected={'tile' in touring ? [wall.tiles[touring.tile]].filter((id): id is string => Boolean(id)) : (cameras ?? []).map((c) => c.id)}
          onSave={(tour) => api.setWall({ wallId: THIS_WALL, state: 'tile' in touring ? withTileTour(wall, touring.tile, tour) : withWallTour(wall, tour) })}
          onClose={() => setTouring(null)}
        />
      )}
      {editing && <CameraDialog camera={editing.camera} onClose={() => setEditing(null)} />}
      {removing && (
        <ConfirmDialog
          title="Remove camera"
          message={`Remove “${removing.name}” from Watchroom? Tiles showing it become empty.`}
          confirmLabel="Remove"
          onConfirm={() => api.removeCamera({ id: removing.id })}
          onClose={() => setRemoving(null)}
        />
      )}
    </div>
  );
}
