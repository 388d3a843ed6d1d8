/**
 * The idle lock, as the page sees it: after `idleMs` without keyboard, mouse or touch input the
 * page locks itself (the core locks the session by the same clock and refuses actions meanwhile).
 * While the person is active, the core is told at most twice a minute, so their session stays awake.
 */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
const REPORT_EVERY_MS = 30_000;

export function watchIdle(idleMs: number, onIdle: () => void, reportActivity: () => void): () => void {
  let timer = setTimeout(onIdle, idleMs);
  let lastReport = Date.now();
  const active = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, idleMs);
    if (Date.now() - lastReport >= Math.min(REPORT_EVERY_MS, idleMs / 2)) {
      lastReport = Date.now();
      reportActivity();
    }
  };
  for (const type of INPUT_EVENTS) window.addEventListener(type, active, { passive: true, capture: true });
  return () => {
    clearTimeout(timer);
    for (const type of INPUT_EVENTS) window.removeEventListener(type, active, { capture: true });
  };
}
