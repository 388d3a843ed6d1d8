/**
 * The privacy-mask editor (administrators): a recent frame of the camera as everyone sees it (a
 * timeline picture, existing masks burned in: to see behind one, lift it, which is recorded), the
 * polygons drawn over it. Click to add a point; click the first point or press Enter to close the
 * polygon; choose a polygon in the list (or click it) and Delete removes it; Escape drops the one being
 * drawn. Save makes a new version; Cancel leaves the masks as they were.
 */
import { useEffect, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { CameraView } from '../../../shared/api.js';
import { MASK_FILL, MASK_POINTS, MAX_MASK_POLYGONS, type MaskPolygon } from '../../../shared/masks.js';
import { api, mediaUrl } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { ModalDialog } from '../ui/modal-dialog';
import './mask-editor.css';

/** How close (as a share of the frame's width) a click must come to the first point to close the polygon. */
const CLOSE_DISTANCE = 0.02;
const round = (n: number) => Math.round(Math.min(1, Math.max(0, n)) * 10_000) / 10_000;
const points = (p: readonly (readonly [number, number])[]) => p.map(([x, y]) => `${x},${y}`).join(' ');

/** The picture the masks are drawn on: a recent recorded frame, or null while there is none. */
function useRecentFrame(cameraId: string): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    mediaUrl(`/media/${encodeURIComponent(cameraId)}/thumb.jpg?atMs=${Date.now() - 15_000}`).then((url) => live && setSrc(url), () => undefined);
    return () => void (live = false);
  }, [cameraId]);
  return src;
}

export function MaskEditor({ camera, onClose }: { camera: CameraView; onClose(): void }) {
  const [polygons, setPolygons] = useState<MaskPolygon[] | null>(null);
  const [drawing, setDrawing] = useState<Array<[number, number]>>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const frame = useRecentFrame(camera.id);
  // Editing starts from what is saved, read afresh: drawing before it is known could drop saved masks.
  useEffect(() => {
    api.listMasks().then(
      (list) => setPolygons(list.find((m) => m.cameraId === camera.id)?.polygons ?? []),
      (error: unknown) => setMessage(errorMessage(error)),
    );
  }, [camera.id]);
  const shapes = polygons ?? [];

  const closePolygon = () => {
    if (drawing.length < MASK_POINTS.min) return setMessage(`A mask needs at least ${MASK_POINTS.min} points.`);
    if (shapes.length >= MAX_MASK_POLYGONS) return setMessage(`A camera has at most ${MAX_MASK_POLYGONS} masks.`);
    setPolygons([...shapes, drawing]);
    setDrawing([]);
    setMessage(null);
  };
  const addPoint = (event: MouseEvent<SVGSVGElement>) => {
    if (polygons === null) return;
    const box = event.currentTarget.getBoundingClientRect();
    const x = round((event.clientX - box.left) / box.width);
    const y = round((event.clientY - box.top) / box.height);
    const first = drawing[0];
    if (first && drawing.length >= MASK_POINTS.min && Math.hypot(first[0] - x, (first[1] - y) * (box.height / box.width)) < CLOSE_DISTANCE) return closePolygon();
    if (drawing.length >= MASK_POINTS.max) return setMessage(`A mask has at most ${MASK_POINTS.max} points; click the first point to close it.`);
    setDrawing([...drawing, [x, y]]);
    setSelected(null);
  };
  const remove = (index: number) => {
    setPolygons(shapes.filter((_, i) => i !== index));
    setSelected(null);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && drawing.length > 0) (event.preventDefault(), closePolygon());
    else if (event.key === 'Escape' && drawing.length > 0) (event.preventDefault(), event.stopPropagation(), setDrawing([]));
    else if ((event.key === 'Delete' || event.key === 'Backspace') && selected !== null) (event.preventDefault(), remove(selected));
  };
  const save = async () => {
    setSaving(true);
    try {
      await api.setMasks({ cameraId: camera.id, polygons: shapes });
      onClose();
    } catch (error) {
      setMessage(errorMessage(error));
      setSaving(false);
    }
  };

  return (
    <ModalDialog title={`Privacy masks of ${camera.name}`} testId="mask-editor" className="mask-editor-dialog" onCancel={onClose}>
      <div className="mask-editor" onKeyDown={onKeyDown}>
        <p className="mask-editor-help">
          Click to add points; click the first point or press Enter to close a mask. Choose a mask and press Delete to remove it. The picture is a recent recorded frame as everyone sees it.
        </p>
        <div className="mask-editor-frame">
          {frame ? <img src={frame} alt={`A recent frame of ${camera.name}`} data-testid="mask-editor-frame" /> : <p className="mask-editor-noframe">No recent recording to draw on; masks can still be drawn.</p>}
          <svg className="mask-editor-canvas" data-testid="mask-editor-canvas" viewBox="0 0 1 1" preserveAspectRatio="none" onClick={addPoint} tabIndex={0} aria-label="Picture: click to add a mask point">
            {shapes.map((polygon, i) => (
              <polygon
                key={i}
                points={points(polygon)}
                fill={MASK_FILL}
                fillOpacity={0.85}
                className={i === selected ? 'mask-shape mask-shape-selected' : 'mask-shape'}
                data-testid="mask-shape"
                onClick={(event) => (event.stopPropagation(), setSelected(i))}
              />
            ))}
            {drawing.length > 0 && <polyline points={points(drawing)} className="mask-drawing" />}
            {drawing.map(([x, y], i) => (
              <circle key={i} cx={x} cy={y} r={i === 0 ? 0.012 : 0.007} className={i === 0 ? 'mask-point mask-point-first' : 'mask-point'} />
            ))}
          </svg>
        </div>
        <ul className="mask-list" aria-label="Masks">
          {shapes.map((polygon, i) => (
            <li key={i}>
              <button type="button" aria-pressed={i === selected} data-testid="mask-item" onClick={() => setSelected(i === selected ? null : i)}>
                Mask {i + 1} ({polygon.length} points)
              </button>
            </li>
          ))}
        </ul>
        {message && (
          <p className="form-error" role="alert" data-testid="mask-editor-message">
            {message}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" data-testid="mask-delete" disabled={selected === null} onClick={() => selected !== null && remove(selected)}>
            Delete mask
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" data-testid="mask-save" disabled={saving || polygons === null || drawing.length > 0} title={drawing.length > 0 ? 'Close the mask being drawn first.' : undefined} onClick={save}>
            Save
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
