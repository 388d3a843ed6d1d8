import type { LayoutId } from '../../../shared/layouts.js';
import { PersonMenu } from '../people/person-menu';
import { usePermission } from '../session/permission-hint';
import { LayoutSwitcher } from './layout-switcher';
import { PresetsMenu } from './presets-menu';
import { WallsMenu } from './walls-menu';

interface TopBarProps {
  layout: LayoutId | null;
  onLayout(layout: LayoutId): void;
  /** Absent until the wall and its cameras are known: there is nothing to play back yet. */
  onPlayback?: () => void;
  onRetention(): void;
  onIncidents(): void;
  onVerify(): void;
  onWallTour(): void;
  onHelp(): void;
}

export function TopBar({ layout, onLayout, onPlayback, onRetention, onIncidents, onVerify, onWallTour, onHelp }: TopBarProps) {
  const verify = usePermission('evidence.verify');
  return (
    <header className="top-bar">
      <h1 className="app-name">Watchroom</h1>
      <LayoutSwitcher current={layout} onChoose={onLayout} />
      <button type="button" data-testid="open-wall-tour" onClick={onWallTour} title="Tour: show all the chosen cameras on this wall, a wall-full at a time">
        ⟳ Tour
      </button>
      <button type="button" className="playback-open" data-testid="open-playback" disabled={!onPlayback} onClick={onPlayback} title="Play back the cameras on the wall">
        Playback
      </button>
      <button type="button" data-testid="open-incidents" onClick={onIncidents} title="Bookmarked incidents: search, play, export">
        Incidents
      </button>
      <span className="top-bar-end" />
      <PresetsMenu />
      <WallsMenu />
      <button type="button" data-testid="open-verify" disabled={!verify.allowed} onClick={onVerify} title={verify.refusal ?? 'Check an evidence package'}>
        Verify
      </button>
      <button type="button" data-testid="open-help" onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
      <button type="button" data-testid="open-retention" onClick={onRetention} title="How long recordings are kept and how much disk they may use">
        Retention
      </button>
      <PersonMenu />
    </header>
  );
}
