/**
 * Which of a camera's streams a tile shows. Small tiles (a third of the wall's width or less: 3×3,
 * 4×4, the small tiles of 1+5 and 1+7) take the sub-stream where the camera has one; a maximised
 * tile, a 1×1 or 2×2 wall, and the big tile of 1+N take the main stream.
 */
import type { StreamVariant } from '../../../shared/events.js';
import type { LayoutDefinition } from '../../../shared/layouts.js';

export function tileStream(layout: LayoutDefinition, cellIndex: number, maximised: boolean, hasSubStream: boolean): StreamVariant {
  if (maximised || !hasSubStream) return 'main';
  const [, , columnSpan] = layout.cells[cellIndex]!;
  return columnSpan / layout.columns <= 1 / 3 ? 'sub' : 'main';
}
