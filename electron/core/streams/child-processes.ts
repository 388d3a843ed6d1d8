/**
 * Every ffmpeg child goes through here, so none outlives the app. On Linux each child is started under
 * `setpriv --pdeathsig KILL`, so the kernel kills it even if the app itself is SIGKILLed; on a normal
 * exit the registry kills whatever is left.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';
const useSetpriv = process.platform === 'linux' && existsSync(SETPRIV);

const live = new Set<ChildProcessWithoutNullStreams>();
let exitHookInstalled = false;

function killAllNow(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** `input`, if given, is written to the child's stdin, which is then closed. */
export function spawnSupervised(command: string, args: string[], input?: string): ChildProcessWithoutNullStreams {
  if (!exitHookInstalled) {
    process.on('exit', killAllNow);
    exitHookInstalled = true;
  }
  const child = useSetpriv
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], { stdio: 'pipe' })
    : spawn(command, args, { stdio: 'pipe' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  // A spawn failure (ffmpeg missing) surfaces as 'error' then 'exit'; keep it from crashing the app.
  child.once('error', () => live.delete(child));
  if (input !== undefined) {
    // A child that exits before reading it closes the pipe (EPIPE): its exit tells the caller, not this.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  }
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function terminate(child: ChildProcessWithoutNullStreams, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function liveChildCount(): number {
  return live.size;
}

/**
 * Runs a short supervised command (ffprobe, a one-frame ffmpeg) to its end: its stdout, or an error
 * with its last stderr line. Killed after `timeoutMs`.
 */
export function runToEnd(command: string, args: string[], timeoutMs = 30_000): Promise<string> {
  const child = spawnSupervised(command, args);
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} failed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').pop() ?? ''}`));
    });
  });
}
