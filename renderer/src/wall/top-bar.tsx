import type { ReactNode } from 'react';
import type { LayoutId } from '../../../shared/layouts.js';
import { PersonMenu, type PersonMenuDialog } from '../people/person-menu';
import { usePermission } from '../session/permission-hint';
import { LayoutSwitcher } from './layout-switcher';
import { PresetsMenu } from './presets-menu';
import { WallClock } from './wall-clock';
import { WallsMenu } from './walls-menu';
// Four-eyes disclosure (issue 12, point 2)
import { DisclosuresButton } from '../disclosures/disclosures-button';

interface TopBarProps {
  sidebarOpen: boolean;
  onToggleSidebar(): void;
  fullScreen: boolean;
  onToggleFullScreen(): void;
  /** Says that a tour runs, and stops it. */
  tourChip: ReactNode;
  layout: LayoutId | null;
  onLayout(layout: LayoutId): void;
  /** Absent until the wall and its cameras are known: there is nothing to play back yet. */
  onPlayback?: () => void;
  /** A dialog of the person menu (retention among them). */
  onOpen(dialog: PersonMenuDialog): void;
  onIncidents(): void;
  onVerify(): void;
  onWallTour(): void;
  onHelp(): void;
}

export function TopBar(props: TopBarProps) {
  const { layout, onLayout, onPlayback, onIncidents, onVerify, onWallTour, onHelp } = props;
  const verify = usePermission('evidence.verify');
  return (
    <header className="top-bar">
      <button
        type="button"
        className="icon-button"
        data-testid="toggle-sidebar"
        aria-pressed={props.sidebarOpen}
        aria-label={props.sidebarOpen ? 'Hide the camera list' : 'Show the camera list'}
        title={props.sidebarOpen ? 'Hide the camera list' : 'Show the camera list'}
        onClick={props.onToggleSidebar}
      >
        ☰
      </button>
      <h1 className="app-name">Watchroom</h1>
      <LayoutSwitcher current={layout} onChoose={onLayout} />
      <button type="button" data-testid="open-wall-tour" onClick={onWallTour} title="Tour: show all the chosen cameras on this wall, a wall-full at a time">
        ⟳ Tour
      </button>
      {props.tourChip}
      <button type="button" className="playback-open" data-testid="open-playback" disabled={!onPlayback} onClick={onPlayback} title="Play back the cameras on the wall">
        Playback
      </button>
      <button type="button" data-testid="open-incidents" onClick={onIncidents} title="Bookmarked incidents: search, play, export">
        Incidents
      </button>
      <span className="top-bar-end" />
      <PresetsMenu />
      <WallsMenu />
      <DisclosuresButton onOpen={() => props.onOpen('disclosures')} />
      <button type="button" data-testid="open-verify" disabled={!verify.allowed} onClick={onVerify} title={verify.refusal ?? 'Check an evidence package'}>
        Verify
      </button>
      <button type="button" data-testid="open-help" onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
      <button
        type="button"
        className="icon-button"
        data-testid="toggle-full-screen"
        aria-pressed={props.fullScreen}
        title={props.fullScreen ? 'Leave full screen (F11)' : 'Full-screen wall: toolbar and camera list hidden until the pointer reaches an edge (F11)'}
        aria-label={props.fullScreen ? 'Leave full screen' : 'Full-screen wall'}
        onClick={props.onToggleFullScreen}
      >
        <FullScreenIcon on={props.fullScreen} />
      </button>
      <PersonMenu onOpen={props.onOpen} />
      {/* In full screen the clock floats over the wall instead (app.tsx): this bar is out of sight. */}
      {!props.fullScreen && <WallClock />}
    </header>
  );
}

/** Four corners pointing out (enter) or in (leave): the platforms' own full-screen picture. */
function FullScreenIcon({ on }: { on: boolean }) {
  const corners = on ? 'M6 2v4H2M10 2v4h4M6 14v-4H2M10 14v-4h4' : 'M2 6V2h4M14 6V2h-4M2 10v4h4M14 10v4h-4';
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
      <path d={corners} fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}
