/** "?" lists every keyboard shortcut: control rooms work from the keyboard for hours. */
import { useEffect, useEffectEvent } from 'react';
import { ModalDialog } from './modal-dialog';
import './shortcuts-help.css';
import { typingInField } from '../lib/typing-in-field';

export const SHORTCUTS: ReadonlyArray<readonly [keys: string, action: string]> = [
  ['1 … 9, 10 … 16', 'Select a tile (type two digits quickly for 10–16)'],
  ['← ↑ → ↓', 'Select the neighbouring tile'],
  ['Enter', 'Maximise the selected tile, or restore it'],
  ['Esc', 'Back to the whole wall'],
  ['B', 'Bookmark what the selected tile shows'],
  ['R', 'Instant replay on the selected tile: 10 s back (again: 10 s more)'],
  ['L', 'Selected tile back to live'],
  ['Shift+F10, Menu key', 'The selected tile’s menu (also right-click, or its ⋯ button)'],
  ['Ctrl+1 … Ctrl+9', 'Recall a preset (in the Presets menu’s order)'],
  ['F11', 'Full-screen wall, or back (toolbar and camera list at the top and left edges)'],
  ['Enter, double-click', 'On a camera in the list: show it on the selected tile'],
  ['?', 'This list'],
];

/** The owner's `open` is set by "?" anywhere but in a field (onOpen) and by the top bar's button. */
export function ShortcutsHelp({ open, onOpen, onClose }: { open: boolean; onOpen(): void; onClose(): void }) {
  const opened = useEffectEvent(onOpen);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '?' && !typingInField(event.target)) {
        event.preventDefault();
        opened();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  return (
    <ModalDialog title="Keyboard shortcuts" testId="shortcuts-help" onCancel={onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys}>
              <th><kbd>{keys}</kbd></th>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>Close</button>
      </div>
    </ModalDialog>
  );
}
