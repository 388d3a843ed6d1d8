/**
 * A key pressed in a field, a dialog or a menu belongs there, not to the wall's shortcuts: a digit
 * typed in a search box must not select tile 3, an arrow in a menu must not move the selection.
 */
export function typingInField(target: EventTarget | null): boolean {
  return target instanceof Element && Boolean(target.closest('input, textarea, select, dialog, [contenteditable="true"], [role="menu"], .tile-menu'));
}
