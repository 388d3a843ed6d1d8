/** The last lines of a text file, read backwards in chunks: cost grows with what is read, not the file. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * Up to `count` complete (newline-terminated, non-blank) lines from the end of the file, oldest
 * first, and how many bytes of the file are complete lines: less than its size when a write was cut
 * off mid-line.
 */
export function tailLines(file: string, count: number): { lines: string[]; completeBytes: number } {
  const fd = openSync(file, 'r');
  try {
    let pos = fstatSync(fd).size;
    let buf = Buffer.alloc(0);
    let newlines = 0;
    // One newline more than lines wanted: the text before the first newline read may be cut.
    while (pos > 0 && newlines <= count) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      readSync(fd, chunk, 0, len, pos);
      newlines += countNewlines(chunk);
      buf = Buffer.concat([chunk, buf]);
    }
    const lastNewline = buf.lastIndexOf(0x0a);
    const parts = buf.subarray(0, lastNewline + 1).toString('utf8').split('\n');
    parts.pop(); // after the final newline
    if (pos > 0) parts.shift(); // may begin mid-line
    return { lines: parts.filter((line) => line.trim() !== '').slice(-count), completeBytes: pos + lastNewline + 1 };
  } finally {
    closeSync(fd);
  }
}
