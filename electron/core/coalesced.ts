/**
 * A reload that many notices ask for at once: while one runs, further asks make one more run after
 * it, not one each. A site's workstation hears a notice per camera a recorder takes (a thousand when
 * a site starts); reloading once per notice would have every workstation read the whole table a
 * thousand times over.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const start = (): Promise<void> => {
    running = run().finally(() => {
      running = null;
      if (again) {
        again = false;
        start().catch(() => undefined); // its failure is for whoever asked: they were given the run before
      }
    });
    return running;
  };
  return () => {
    if (!running) return start();
    again = true;
    return running;
  };
}
