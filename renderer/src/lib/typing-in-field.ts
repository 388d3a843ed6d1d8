/** A key pressed in a field or a dialog belongs there, not to the wall's shortcuts. */
export function typingInField(target: EventTarget | null): boolean {
  return target instanceof Element && Boolean(target.closest('input, textarea, select, dialog, [contenteditable="true"]'));
}
