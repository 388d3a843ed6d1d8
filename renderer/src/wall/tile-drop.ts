/** A tile as a drop target: a camera from the list goes onto it, another tile swaps with it. */
import { useState, type DragEvent } from 'react';
import { dropEffectFor, readWallDrop, type WallDrop } from './wall-drag';

export function useTileDrop(onDrop: (drop: WallDrop) => void) {
  const [dropping, setDropping] = useState(false);
  const handlers = {
    onDragOver(event: DragEvent) {
      const effect = dropEffectFor(event.dataTransfer);
      if (!effect) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = effect;
      setDropping(true);
    },
    onDragLeave(event: DragEvent) {
      if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) setDropping(false);
    },
    onDrop(event: DragEvent) {
      event.preventDefault();
      setDropping(false);
      const drop = readWallDrop(event.dataTransfer);
      if (drop) onDrop(drop);
    },
  };
  return { dropping, handlers };
}
