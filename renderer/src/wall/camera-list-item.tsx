/**
 * A camera in the sidebar: drag it onto a tile, or double-click it (or press Enter) to show it on the
 * selected tile. Its buttons are symbols (named in their label and tooltip), so on hover they leave
 * the row's middle free for the double-click.
 */
import type { CameraView } from '../../../shared/api.js';
import { stateTone } from './stream-state-tone';
import { useStreamStatus } from './stream-status-store';
import { startCameraDrag } from './wall-drag';

interface CameraListItemProps {
  camera: CameraView;
  /** Why this person may not edit or remove cameras, when they may not. */
  refusal: string | undefined;
  onEdit(camera: CameraView): void;
  onRemove(camera: CameraView): void;
  /** Why this person may not draw privacy masks, when they may not. */
  masksRefusal: string | undefined;
  onMasks(camera: CameraView): void;
  /** Show it on the selected tile. */
  onPut(camera: CameraView): void;
}

export function CameraListItem({ camera, refusal, masksRefusal, onEdit, onRemove, onMasks, onPut }: CameraListItemProps) {
  const state = useStreamStatus(camera.id)?.state;
  return (
    <li
      className="camera-item"
      data-testid="camera-item"
      data-camera-id={camera.id}
      draggable
      tabIndex={0}
      title={`${camera.url}\nDouble-click or press Enter to show it on the selected tile, or drag it onto a tile.`}
      onDragStart={(event) => startCameraDrag(event.dataTransfer, camera.id)}
      onDoubleClick={() => onPut(camera)}
      onKeyDown={(event) => event.key === 'Enter' && event.target === event.currentTarget && onPut(camera)}
    >
      <span className={`state-dot tone-${state ? stateTone(state) : 'idle'}`} title={state ?? 'stopped'} aria-hidden="true" />
      <span className="camera-name" data-testid="camera-item-name">
        {camera.name}
      </span>
      {camera.demo && <span className="demo-tag">DEMO</span>}
      <span className="item-actions">
        <button
          type="button"
          className="item-button"
          data-testid="camera-edit"
          aria-label={`Edit ${camera.name}`}
          disabled={camera.demo || refusal !== undefined}
          title={refusal ?? (camera.demo ? 'Demo cameras cannot be edited; remove them and add a real camera.' : `Edit ${camera.name}`)}
          onClick={() => onEdit(camera)}
        >
          ✎
        </button>
        <button
          type="button"
          className="item-button"
          data-testid="camera-masks"
          aria-label={`Privacy masks of ${camera.name}`}
          disabled={masksRefusal !== undefined}
          title={masksRefusal ?? `Privacy masks of ${camera.name}`}
          onClick={() => onMasks(camera)}
        >
          ▧
        </button>
        <button
          type="button"
          className="item-button"
          data-testid="camera-remove"
          aria-label={`Remove ${camera.name}`}
          disabled={refusal !== undefined}
          title={refusal ?? `Remove ${camera.name}`}
          onClick={() => onRemove(camera)}
        >
          ✕
        </button>
      </span>
    </li>
  );
}
