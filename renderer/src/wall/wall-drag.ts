/**
 * What can be dropped on a tile: a camera from the list (assign) or another tile (swap). Custom MIME
 * types keep stray drags (text, files, other apps) from doing anything.
 */
const CAMERA_DRAG_TYPE = 'application/x-watchroom-camera';
const TILE_DRAG_TYPE = 'application/x-watchroom-tile';

export type WallDrop = { kind: 'camera'; cameraId: string } | { kind: 'tile'; index: number };

export function startCameraDrag(data: DataTransfer, cameraId: string): void {
  data.setData(CAMERA_DRAG_TYPE, cameraId);
  data.effectAllowed = 'copy';
}

export function startTileDrag(data: DataTransfer, index: number): void {
  data.setData(TILE_DRAG_TYPE, String(index));
  data.effectAllowed = 'move';
}

/** During dragover only the types are readable, not the data: enough to accept or refuse the drop. */
export function dropEffectFor(data: DataTransfer): 'copy' | 'move' | null {
  if (data.types.includes(CAMERA_DRAG_TYPE)) return 'copy';
  if (data.types.includes(TILE_DRAG_TYPE)) return 'move';
  return null;
}

export function readWallDrop(data: DataTransfer): WallDrop | null {
  const cameraId = data.getData(CAMERA_DRAG_TYPE);
  if (cameraId) return { kind: 'camera', cameraId };
  const tile = data.getData(TILE_DRAG_TYPE);
  const index = Number.parseInt(tile, 10);
  return tile !== '' && Number.isInteger(index) && index >= 0 ? { kind: 'tile', index } : null;
}
