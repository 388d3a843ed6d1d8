/**
 * A camera's privacy masks drawn over its video: opaque polygons over the picture itself, not the
 * element (object-fit: contain letterboxes it), following every resize of the element and every
 * change of the stream's size (main to sub-stream, a new init). To the person holding a lift it shows
 * instead a badge saying until when the masks are lifted; until the masks are known, it covers the picture.
 */
import { useEffect, useState } from 'react';
import { MASK_FILL } from '../../../shared/masks.js';
import { formatLocalTime } from '../lib/format-time';
import { useCameraMasks } from './masks-store';
import { pictureBox, type Box } from './picture-box';
import './mask-overlay.css';

/** The picture rectangle of `video`, kept current. */
function usePictureBox(video: HTMLVideoElement | null): Box | null {
  const [box, setBox] = useState<Box | null>(null);
  useEffect(() => {
    if (!video) return;
    const measure = () => setBox(pictureBox(video, video));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(video);
    // 'resize' fires when the stream's picture size changes (a new init, the sub-stream).
    for (const type of ['loadedmetadata', 'resize']) video.addEventListener(type, measure);
    return () => {
      observer.disconnect();
      for (const type of ['loadedmetadata', 'resize']) video.removeEventListener(type, measure);
    };
  }, [video]);
  return box;
}

export function MaskOverlay({ cameraId, video }: { cameraId: string; video: HTMLVideoElement | null }) {
  const masks = useCameraMasks(cameraId);
  const box = usePictureBox(video);
  if (!box) return null;
  // Not known yet: the whole picture is covered until they are (a moment at start).
  if (masks === undefined) return <div className="mask-overlay mask-pending" data-testid="mask-pending" style={{ left: box.left, top: box.top, width: box.width, height: box.height }} />;
  if (!masks || masks.polygons.length === 0) return null;
  if (masks.lift) {
    return (
      <p className="mask-lifted" data-testid="mask-lifted" role="status">
        Mask lifted until {formatLocalTime(masks.lift.untilMs, false).slice(0, 5)}
      </p>
    );
  }
  return (
    <svg
      className="mask-overlay"
      data-testid="mask-overlay"
      data-mask-version={masks.version}
      style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
      viewBox="0 0 1 1"
      preserveAspectRatio="none"
      aria-hidden="true"
    >
      {masks.polygons.map((polygon, i) => (
        <polygon key={i} points={polygon.map(([x, y]) => `${x},${y}`).join(' ')} fill={MASK_FILL} />
      ))}
    </svg>
  );
}
