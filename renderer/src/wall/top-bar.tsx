import type { LayoutId } from '../../../shared/layouts.js';
import { LayoutSwitcher } from './layout-switcher';

interface TopBarProps {
  layout: LayoutId | null;
  onLayout(layout: LayoutId): void;
  onPlayback(): void;
  onRetention(): void;
}

export function TopBar({ layout, onLayout, onPlayback, onRetention }: TopBarProps) {
  return (
    <header className="top-bar">
      <h1 className="app-name">Watchroom</h1>
      <LayoutSwitcher current={layout} onChoose={onLayout} />
      <button type="button" className="playback-open" data-testid="open-playback" onClick={onPlayback} title="Play back the cameras on the wall">
        Playback
      </button>
      <button type="button" className="top-bar-end" data-testid="open-retention" onClick={onRetention} title="How long recordings are kept and how much disk they may use">
        Retention
      </button>
    </header>
  );
}
