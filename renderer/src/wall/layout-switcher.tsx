/** One button per wall layout, each with a thumbnail of its grid. */
import { LAYOUT_IDS, LAYOUTS, type LayoutDefinition, type LayoutId } from '../../../shared/layouts.js';
import './layout-switcher.css';

interface LayoutSwitcherProps {
  current: LayoutId | null;
  onChoose(layout: LayoutId): void;
}

export function LayoutSwitcher({ current, onChoose }: LayoutSwitcherProps) {
  return (
    <div className="layout-switcher" role="group" aria-label="Wall layout">
      {LAYOUT_IDS.map((id) => (
        <button
          key={id}
          type="button"
          className="layout-button"
          data-testid={`layout-${id}`}
          aria-pressed={current === id}
          title={`Layout ${LAYOUTS[id].label}`}
          disabled={current === null}
          onClick={() => onChoose(id)}
        >
          <LayoutThumbnail layout={LAYOUTS[id]} />
          <span>{LAYOUTS[id].label}</span>
        </button>
      ))}
    </div>
  );
}

function LayoutThumbnail({ layout }: { layout: LayoutDefinition }) {
  return (
    <span className="layout-thumbnail" aria-hidden="true" style={{ gridTemplateColumns: `repeat(${layout.columns}, 1fr)`, gridTemplateRows: `repeat(${layout.rows}, 1fr)` }}>
      {layout.cells.map(([column, row, columnSpan, rowSpan], i) => (
        <span key={i} style={{ gridColumn: `${column} / span ${columnSpan}`, gridRow: `${row} / span ${rowSpan}` }} />
      ))}
    </span>
  );
}
