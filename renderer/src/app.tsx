/** The control-room window: camera list on the left, layout switcher on top, the wall filling the rest. */
import { useMemo, useState } from 'react';
import type { CameraView } from '../../shared/api.js';
import { OverlayView, type Overlay } from './app-overlay';
import { CameraSidebar } from './wall/camera-sidebar';
import { TopBar } from './wall/top-bar';
import { useCameras } from './wall/use-cameras';
import { StreamStatusProvider, useFollowedStreamStatusStore } from './wall/stream-status-store';
import { useWall } from './wall/use-wall';
import { VideoWall } from './wall/video-wall';
import { visibleTiles, withLayout, withTile, withoutTours } from './wall/wall-edits';
import { useWallTour } from './wall/use-wall-tour';
import { TourChip } from './wall/tour-chip';
import { useFullScreenWall } from './wall/use-full-screen-wall';
import { useSidebarOpen } from './wall/use-sidebar-open';
import { WallClock } from './wall/wall-clock';
import './app.css';
import { LookBackGate } from './playback/look-back-gate';
import { PlaybackPanel } from './playback/playback-panel';
import { IncidentsPanel } from './incidents/incidents-panel';
import { RecordingCheckNotice } from './wall/recording-check-notice';
import { AuditStatusNotice } from './wall/audit-status-notice';

/**
 * The panel over the wall: incidents, or playback (of the wall's cameras, or of a bookmark's from its
 * moment); playback opened from the incidents goes back to them.
 */
type Panel = { kind: 'playback'; cameras: CameraView[]; startAtMs?: number; caseReference?: string; back?: Panel } | { kind: 'incidents' };

/** The distinct cameras shown on the visible tiles, in tile order. */
function wallCameras(tiles: ReadonlyArray<string | null>, byId: ReadonlyMap<string, CameraView>): CameraView[] {
  const ids = [...new Set(tiles.filter((id): id is string => id !== null))];
  return ids.map((id) => byId.get(id)).filter((c): c is CameraView => c !== undefined);
}

export function App() {
  const { cameras, error: camerasError } = useCameras();
  const { wall, error: wallError, setWall } = useWall();
  const statuses = useFollowedStreamStatusStore();
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [panel, setPanel] = useState<Panel | null>(null);
  /** The tile keys and a camera's double-click act on; it keeps its frame while focus is elsewhere. */
  const [selectedTile, setSelectedTile] = useState<number | null>(null);
  const [wallHeld, setWallHeld] = useState(false);
  const wallTour = useWallTour(wall, wallHeld);
  const { fullScreen, toggle: toggleFullScreen } = useFullScreenWall();
  const [sidebarOpen, toggleSidebar] = useSidebarOpen();
  const camerasById = useMemo(() => new Map((cameras ?? []).map((camera) => [camera.id, camera])), [cameras]);
  const problems = [camerasError, wallError].filter((problem): problem is string => problem !== null);
  const close = () => setOverlay(null);
  const namesOf = (ids: readonly string[]) => ids.map((id) => camerasById.get(id)?.name ?? id);
  const camerasOf = (ids: readonly string[]) => ids.map((id) => camerasById.get(id)).filter((c): c is CameraView => c !== undefined);

  /** A camera double-clicked in the list goes to the selected tile, or else to the first empty one. */
  const putOnWall = (camera: CameraView) => {
    if (!wall) return;
    const tiles = visibleTiles(wall);
    const index = selectedTile !== null && selectedTile < tiles.length ? selectedTile : Math.max(tiles.indexOf(null), 0);
    setWall(withTile(wall, index, camera.id));
    setSelectedTile(index);
  };

  return (
    <StreamStatusProvider value={statuses}>
      <div className={['app', fullScreen && 'full-screen-wall', !sidebarOpen && 'sidebar-closed'].filter(Boolean).join(' ')} data-testid="app">
        {/* In full screen, the toolbar and the camera list come back while the pointer rests on these edges. */}
        {fullScreen && <div className="edge edge-top" data-testid="edge-top" />}
        {fullScreen && <div className="edge edge-left" data-testid="edge-left" />}
        {fullScreen && <WallClock className="wall-clock floating" />}
        <TopBar
          sidebarOpen={sidebarOpen}
          onToggleSidebar={toggleSidebar}
          fullScreen={fullScreen}
          onToggleFullScreen={toggleFullScreen}
          tourChip={wall && <TourChip wall={wall} wallTour={wallTour} held={wallHeld} onStop={() => setWall(withoutTours(wall))} />}
          layout={wall?.layout ?? null}
          onLayout={(layout) => wall && setWall(withLayout(wall, layout))}
          onPlayback={wall && cameras ? () => setPanel({ kind: 'playback', cameras: wallCameras(visibleTiles(wall), camerasById) }) : undefined}
          onOpen={(kind) => setOverlay({ kind })}
          onIncidents={() => setPanel({ kind: 'incidents' })}
          onVerify={() => setOverlay({ kind: 'verify', path: '' })}
          onWallTour={() => setOverlay({ kind: 'tour', target: { wall: true } })}
          onHelp={() => setOverlay({ kind: 'shortcuts' })}
        />
        <CameraSidebar
          cameras={cameras}
          onAdd={() => setOverlay({ kind: 'camera', camera: null })}
          onEdit={(camera) => setOverlay({ kind: 'camera', camera })}
          onRemove={(camera) => setOverlay({ kind: 'remove-camera', camera })}
          onMasks={(camera) => setOverlay({ kind: 'masks', camera })}
          onPut={putOnWall}
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
              selected={selectedTile}
              onSelect={setSelectedTile}
              wallTour={wallTour}
              onHold={setWallHeld}
              onChange={setWall}
              onBookmark={(cameraId, atMs) => setOverlay({ kind: 'bookmark', draft: { cameraIds: [cameraId], cameraNames: namesOf([cameraId]), atMs } })}
              onTour={(tile) => setOverlay({ kind: 'tour', target: { tile } })}
              onLiftMasks={(cameraId) => {
                const camera = cameras?.find((c) => c.id === cameraId);
                if (camera) setOverlay({ kind: 'lift-masks', camera });
              }}
            />
          ) : (
            <p className="wall-loading">Loading the wall…</p>
          )}
          {panel?.kind === 'incidents' && (
            <IncidentsPanel
              cameras={camerasById}
              onPlay={(b) => setPanel({ kind: 'playback', cameras: camerasOf(b.cameraIds), startAtMs: b.atMs - b.beforeMs, caseReference: b.caseReference, back: panel })}
              onEdit={(b) => setOverlay({ kind: 'bookmark', draft: { cameraIds: b.cameraIds, cameraNames: namesOf(b.cameraIds), atMs: b.atMs, existing: b } })}
              onExport={(scope) => setOverlay({ kind: 'export', scope })}
              onClose={() => setPanel(null)}
            />
          )}
          {panel?.kind === 'playback' && (
            <LookBackGate caseReference={panel.caseReference} onCancel={() => setPanel(panel.back ?? null)}>
              <PlaybackPanel cameras={panel.cameras} startAtMs={panel.startAtMs} onExport={(scope) => setOverlay({ kind: 'export', scope })} onClose={() => setPanel(panel.back ?? null)} />
            </LookBackGate>
          )}
        </main>
        <OverlayView overlay={overlay} wall={wall} cameras={cameras ?? []} open={setOverlay} close={close} />
      </div>
    </StreamStatusProvider>
  );
}
