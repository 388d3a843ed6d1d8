/**
 * A button that opens a panel below it (a native <details>), closed again by a click elsewhere, by
 * Escape, or by the owner once its action is done, so menus never pile up over each other.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import './drop-menu.css';

interface DropMenuProps {
  label: ReactNode;
  title: string;
  testId: string;
  /** Gets a function that closes the menu, for actions that are done. */
  children: (close: () => void) => ReactNode;
}

export function DropMenu({ label, title, testId, children }: DropMenuProps) {
  const menu = useRef<HTMLDetailsElement>(null);
  const close = () => menu.current?.removeAttribute('open');
  useEffect(() => {
    const outside = (event: Event) => {
      if (menu.current && !menu.current.contains(event.target as Node)) close();
    };
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && close();
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, []);
  return (
    <details className="menu" data-testid={testId} ref={menu}>
      <summary title={title}>{label} ▾</summary>
      <div className="menu-panel">{children(close)}</div>
    </details>
  );
}
