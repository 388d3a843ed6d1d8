/** Where a video element draws its picture, for overlays that must sit on the picture itself. */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where object-fit: contain draws a `videoWidth` × `videoHeight` picture inside the element (letterboxed or pillarboxed). */
export function pictureBox(element: { clientWidth: number; clientHeight: number }, video: { videoWidth: number; videoHeight: number }): Box {
  const { clientWidth: w, clientHeight: h } = element;
  // No picture size yet (so no picture on screen either): the element's own box stands in.
  if (!video.videoWidth || !video.videoHeight) return { left: 0, top: 0, width: w, height: h };
  const scale = Math.min(w / video.videoWidth, h / video.videoHeight);
  const width = video.videoWidth * scale;
  const height = video.videoHeight * scale;
  return { left: (w - width) / 2, top: (h - height) / 2, width, height };
}
