/**
 * A tile header gives way in steps until it fits on its one line: 1 hides the buttons (they are all in
 * the tile's menu), 2 the words beside the dots and the stream details but SUB, 3 SUB too. Measured,
 * not guessed from the tile's width: what fits depends on the name, the badges and the font. Set on the
 * element itself (data-fit), so a measurement never costs a render.
 */
import { useEffect, useLayoutEffect, type RefObject } from 'react';

const STEPS = 3;

function fit(bar: HTMLElement): void {
  const name = bar.querySelector<HTMLElement>('.tile-name');
  for (let step = 0; step <= STEPS; step++) {
    bar.dataset.fit = String(step);
    // The name shrinks, down to its minimum; past that the line is wider than the header. The buttons
    // and the words beside the dots, which the menu and the dots' titles repeat, show only beside the
    // whole name; SUB goes only when the line does not fit.
    const nameCut = step < 2 && name !== null && name.scrollWidth > name.clientWidth;
    if (bar.scrollWidth <= bar.clientWidth && !nameCut) return;
  }
}

export function useHeaderFit(bar: RefObject<HTMLElement | null>): void {
  // After every render: a new badge or name may need another step, or allow one back.
  useLayoutEffect(() => {
    if (bar.current) fit(bar.current);
  });
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const observer = new ResizeObserver(() => fit(element));
    observer.observe(element);
    return () => observer.disconnect();
  }, [bar]);
}
