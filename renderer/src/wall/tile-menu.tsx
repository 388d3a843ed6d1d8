/**
 * A tile's menu (right-click, the header's ⋯, or the ContextMenu key / Shift+F10 on the selected tile):
 * every action of the tile, whatever room its header has. Drawn over the page, not inside the tile,
 * so a small tile does not cut it off. Arrows move, Enter acts, Escape or a click elsewhere closes.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';

export interface TileMenuItem {
  id: string;
  label: string;
  /** Its key on the selected tile, shown beside it. */
  shortcut?: string;
  /** Why it cannot be used now (who may, or that it does not apply): the item is disabled. */
  refusal?: string | undefined;
  run(): void;
}

interface TileMenuProps {
  /** Viewport point for its top-left corner (moved in so it fits). */
  at: { x: number; y: number };
  title: string;
  /** Details the header has no room for (stream, frame rate, clock). */
  info: ReactNode;
  items: readonly TileMenuItem[];
  onClose(): void;
}

const MARGIN = 4;

export function TileMenu({ at, title, info, items, onClose }: TileMenuProps) {
  const panel = useRef<HTMLDivElement>(null);
  const enabled = () => [...(panel.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];

  useLayoutEffect(() => {
    const box = panel.current!.getBoundingClientRect();
    panel.current!.style.left = `${Math.max(MARGIN, Math.min(at.x, innerWidth - box.width - MARGIN))}px`;
    panel.current!.style.top = `${Math.max(MARGIN, Math.min(at.y, innerHeight - box.height - MARGIN))}px`;
    enabled()[0]?.focus();
  }, [at.x, at.y]);

  useEffect(() => {
    const outside = (event: PointerEvent) => !panel.current?.contains(event.target as Node) && onClose();
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('blur', onClose);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);

  const onKeyDown = (event: KeyboardEvent) => {
    // The menu's keys are its own: none reaches the tile or the wall.
    event.stopPropagation();
    const list = enabled();
    const here = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = { ArrowDown: here + 1, ArrowUp: here - 1, Home: 0, End: list.length - 1 }[event.key];
    if (move !== undefined) {
      event.preventDefault();
      list[(move + list.length) % list.length]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      onClose();
    }
  };

  return createPortal(
    <div
      ref={panel}
      className="tile-menu"
      data-testid="tile-menu"
      onKeyDown={onKeyDown}
      // Clicks here belong to the menu, not to the tile under it in React's tree.
      onDoubleClick={(event) => event.stopPropagation()}
      onContextMenu={(event) => (event.preventDefault(), event.stopPropagation())}
      onDragStart={(event) => event.stopPropagation()}
    >
      <div className="tile-menu-title" title={title}>{title}</div>
      <div className="tile-menu-info">{info}</div>
      <div role="menu" aria-label={`${title}: tile actions`}>
        {items.map((item) => (
          <button
            key={item.id}
            type="button"
            role="menuitem"
            className="tile-menu-item"
            data-testid={`tile-menu-${item.id}`}
            disabled={item.refusal !== undefined}
            title={item.refusal}
            onClick={() => (onClose(), item.run())}
          >
            <span className="tile-menu-label">{item.label}</span>
            {item.shortcut && <kbd>{item.shortcut}</kbd>}
            {item.refusal && <span className="tile-menu-refusal">{item.refusal}</span>}
          </button>
        ))}
      </div>
    </div>,
    document.body,
  );
}

type Point = { x: number; y: number };

/**
 * Where a tile's menu is open, if it is: at the pointer for a right-click, below the header for the
 * keyboard. Closing it from inside gives the focus back to the tile.
 */
export function useTileMenu(tile: RefObject<HTMLElement | null>, hasCamera: boolean) {
  const [at, setAt] = useState<Point | null>(null);
  const close = useCallback(() => {
    const hadFocus = document.activeElement?.closest('.tile-menu');
    setAt(null);
    if (hadFocus) tile.current?.focus();
  }, [tile]);
  const openBelowHeader = () => {
    const box = tile.current!.getBoundingClientRect();
    setAt({ x: box.right - 200, y: box.top + 26 });
  };
  const onContextMenu = (event: MouseEvent) => {
    if (!hasCamera) return;
    event.preventDefault();
    setAt({ x: event.clientX, y: event.clientY });
  };
  return { at, open: setAt, openBelowHeader, close, onContextMenu };
}
