import type { LayoutId } from '../../../shared/layouts.js';
import { LayoutSwitcher } from './layout-switcher';

interface TopBarProps {
  layout: LayoutId | null;
  onLayout(layout: LayoutId): void;
}

export function TopBar({ layout, onLayout }: TopBarProps) {
  return (
    <header className="top-bar">
      <h1 className="app-name">Watchroom</h1>
      <LayoutSwitcher current={layout} onChoose={onLayout} />
    </header>
  );
}
