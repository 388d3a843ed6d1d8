/**
 * Frame grabs take turns (real ffmpeg on named pipes that give nothing until the test writes them):
 * one runs at a time, and timeline pictures pile up no further than MAX_SKIPPABLE_WAITING, the oldest
 * waiting one skipped, so the picture asked for last (where the pointer rests) is still made.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameGrabsWaiting, grabFrame, MAX_SKIPPABLE_WAITING } from '../../electron/core/recording/frame-grab.js';
import { ffmpegProcesses } from '../fixtures/process-table.js';
import { waitFor } from '../fixtures/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'watchroom-grab-turns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('frame grab turns', () => {
  it('runs one grab at a time; past the bound the oldest waiting timeline picture is skipped, a bookmark’s never', async () => {
    const pipes = Array.from({ length: MAX_SKIPPABLE_WAITING + 3 }, (_, i) => join(dir, `segment-${i}.ts`));
    for (const p of pipes) execFileSync('mkfifo', [p]);
    const grabbing = () => ffmpegProcesses((args) => args.includes(dir));
    // A bookmark's grab first (it runs), then one more than the bound of timeline pictures, then a bookmark's again.
    const bookmark = grabFrame(pipes[0]!, 0, join(dir, 'b0.jpg'));
    await waitFor('the first grab to run', () => grabbing().length === 1, 20_000);
    const timeline = pipes.slice(1, -1).map((p, i) => grabFrame(p, 0, join(dir, `t${i}.jpg`), { skippable: true }));
    const lateBookmark = grabFrame(pipes.at(-1)!, 0, join(dir, 'b1.jpg'));
    expect(frameGrabsWaiting()).toBe(MAX_SKIPPABLE_WAITING + 1);
    expect(await timeline[0]).toBe('skipped');
    expect(grabbing()).toHaveLength(1);
    // The running grab's pipe ends when written (no video: it fails), and the next takes its turn, one at a time.
    const order: number[] = [];
    while (order.length < pipes.length - 1) {
      const running = await waitFor('the next grab', () => {
        const now = grabbing().map((g) => pipes.findIndex((p) => g.args.includes(p))).filter((i) => !order.includes(i));
        return now.length > 0 ? now : undefined;
      }, 20_000);
      expect(running).toHaveLength(1);
      order.push(running[0]!);
      await writeFile(pipes[running[0]!]!, '');
    }
    expect(order).toEqual([0, ...pipes.map((_, i) => i).slice(2)]);
    expect(await bookmark).toBe(false);
    expect(await Promise.all(timeline.slice(1))).toEqual(Array(MAX_SKIPPABLE_WAITING).fill(false));
    expect(await lateBookmark).toBe(false);
    expect(frameGrabsWaiting()).toBe(0);
  });
});
