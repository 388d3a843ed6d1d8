/**
 * Every dialog of the control-room window is one value of one union: at most one is open, opening one
 * is one call, and one switch shows it. (Playback and incidents are panels beside the wall, not dialogs:
 * a dialog may open over them.)
 */
import type { CameraView, WallState } from '../../shared/api.js';
import { api } from './api/client';
import { CameraDialog } from './cameras/camera-dialog';
import { BookmarkDialog, type BookmarkDraft } from './incidents/bookmark-dialog';
import { ExportDialog, type ExportScope } from './incidents/export-dialog';
import { VerifyDialog } from './incidents/verify-dialog';
import { AuditLedgerDialog } from './ledger/audit-ledger-dialog';
import { WallHistoryDialog } from './ledger/wall-history-dialog';
import { ChangePasswordDialog } from './people/change-password-dialog';
import { PeopleDialog } from './people/people-dialog';
import { SiteProcessesDialog } from './site/site-processes-dialog';
import { LiftMasksDialog } from './masks/lift-masks-dialog';
import { MaskEditor } from './masks/mask-editor';
import { RetentionDialog } from './settings/retention-dialog';
import { ConfirmDialog } from './ui/confirm-dialog';
import { ShortcutsHelp } from './ui/shortcuts-help';
import { THIS_WALL } from './wall/this-wall';
import { TourDialog } from './wall/tour-dialog';
import { withTileTour, withWallTour } from './wall/wall-edits';
// Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
import { DisclosuresDialog } from './disclosures/disclosures-dialog';
// The oversight report (issue 12, point 7)
import { OversightReportDialog } from './oversight/oversight-report-dialog';

export type Overlay =
  /** `camera` null adds a new one. */
  | { kind: 'camera'; camera: CameraView | null }
  | { kind: 'remove-camera'; camera: CameraView }
  | { kind: 'retention' }
  | { kind: 'change-password' }
  | { kind: 'people' }
  // A site's processes (issue 13)
  | { kind: 'site' }
  | { kind: 'ledger' }
  | { kind: 'wall-history' }
  | { kind: 'bookmark'; draft: BookmarkDraft }
  | { kind: 'export'; scope: ExportScope }
  /** `path` empty asks for a package; a path verifies that package at once. */
  | { kind: 'verify'; path: string }
  | { kind: 'shortcuts' }
  | { kind: 'tour'; target: { tile: number } | { wall: true } }
  // Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
  | { kind: 'disclosures' }
  // Privacy masks (issue 12, point 1)
  | { kind: 'masks'; camera: CameraView }
  | { kind: 'lift-masks'; camera: CameraView }
  // The oversight report (issue 12, point 7)
  | { kind: 'oversight-report' };

interface OverlayViewProps {
  overlay: Overlay | null;
  wall: WallState | null;
  cameras: readonly CameraView[];
  open(overlay: Overlay): void;
  close(): void;
}

export function OverlayView({ overlay, wall, cameras, open, close }: OverlayViewProps) {
  // "?" opens the shortcuts from anywhere but a field, so its listener is always there.
  const shortcuts = <ShortcutsHelp open={overlay?.kind === 'shortcuts'} onOpen={() => open({ kind: 'shortcuts' })} onClose={close} />;
  switch (overlay?.kind) {
    case undefined:
    case 'shortcuts':
      return shortcuts;
    case 'camera':
      return <CameraDialog camera={overlay.camera} onClose={close} />;
    case 'remove-camera':
      return (
        <ConfirmDialog
          title="Remove camera"
          message={`Remove “${overlay.camera.name}” from Watchroom? Tiles showing it become empty.`}
          confirmLabel="Remove"
          onConfirm={() => api.removeCamera({ id: overlay.camera.id })}
          onClose={close}
        />
      );
    case 'retention':
      return <RetentionDialog onClose={close} />;
    case 'change-password':
      return <ChangePasswordDialog onClose={close} />;
    case 'people':
      return <PeopleDialog onClose={close} />;
    case 'site':
      return <SiteProcessesDialog onClose={close} />;
    case 'ledger':
      return <AuditLedgerDialog onClose={close} />;
    case 'wall-history':
      return <WallHistoryDialog onClose={close} />;
    case 'oversight-report':
      return <OversightReportDialog onClose={close} />;
    case 'bookmark':
      return <BookmarkDialog draft={overlay.draft} onClose={close} />;
    case 'export':
      return <ExportDialog scope={overlay.scope} onClose={close} onVerify={(path) => open({ kind: 'verify', path })} />;
    case 'verify':
      return <VerifyDialog initialPath={overlay.path} onClose={close} />;
    case 'masks':
      return <MaskEditor camera={overlay.camera} onClose={close} />;
    case 'lift-masks':
      return <LiftMasksDialog camera={overlay.camera} onClose={close} />;
    case 'tour':
      return wall && <TourOverlay target={overlay.target} wall={wall} cameras={cameras} close={close} />;
    case 'disclosures':
      return <DisclosuresDialog onClose={close} />;
  }
}

function TourOverlay({ target, wall, cameras, close }: { target: { tile: number } | { wall: true }; wall: WallState; cameras: readonly CameraView[]; close(): void }) {
  const tile = 'tile' in target ? target.tile : null;
  return (
    <TourDialog
      title={tile !== null ? `Tour on tile ${tile + 1}` : 'Tour on the whole wall'}
      cameras={cameras}
      tour={(tile !== null ? wall.tours?.[tile] : wall.tour) ?? null}
      preselected={tile !== null ? [wall.tiles[tile]].filter((id): id is string => Boolean(id)) : cameras.map((c) => c.id)}
      onSave={(tour) => api.setWall({ wallId: THIS_WALL, state: tile !== null ? withTileTour(wall, tile, tour) : withWallTour(wall, tour) })}
      onClose={close}
    />
  );
}
