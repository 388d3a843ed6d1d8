/** Resolves at the first SIGINT or SIGTERM, after telling `onSignal` which came: a CLI then stops its cameras. */
export function untilSignal(onSignal: (signal: NodeJS.Signals) => void): Promise<void> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals) => {
      onSignal(signal);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
