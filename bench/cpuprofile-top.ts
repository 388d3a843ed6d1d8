/**
 * Where a Node CPU profile (`node --cpu-prof`) spent its time: self time summed by function, the
 * heaviest first, as JSON. --from/--to (seconds into the profile) keep start-up and shut-down out.
 * byFile: each sample counted for the nearest of our own files on its stack (`--app` in its path), so
 * Node's internals (streams, fs, sockets) count for the module that called them.
 *
 *   node --import tsx bench/cpuprofile-top.ts FILE.cpuprofile [--top 25] [--from 20] [--to 60] [--app /dist/electron/]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { app: { type: 'string', default: '/dist/electron/' }, top: { type: 'string', default: '25' }, from: { type: 'string', default: '0' }, to: { type: 'string', default: 'Infinity' } },
});
const file = positionals[0];
if (!file) throw new Error('Give a .cpuprofile file.');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const fromUs = Number(values.from) * 1e6;
const toUs = Number(values.to) * 1e6;

const names = new Map<number, string>();
for (const n of profile.nodes) {
  const { functionName, url, lineNumber } = n.callFrame;
  names.set(n.id, url ? `${functionName || '(anonymous)'} ${basename(url)}:${lineNumber + 1}` : functionName);
}
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
/** The nearest of our files on the sample's stack, or where it ran when none is. */
const ownFile = new Map<number, string>();
function fileOf(id: number): string {
  let file = ownFile.get(id);
  if (file !== undefined) return file;
  for (let at: number | undefined = id; at !== undefined && file === undefined; at = parent.get(at)) {
    const url = byId.get(at)!.callFrame.url;
    if (url.includes(values.app!)) file = basename(url);
  }
  file ??= `(${names.get(id)!.split(' ')[0]} — not under ${values.app})`;
  ownFile.set(id, file);
  return file;
}
const fileUs = new Map<string, number>();
const selfUs = new Map<string, number>();
let t = 0;
let total = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i + 1] ?? 0; // a sample lasts until the next one
  t += profile.timeDeltas[i] ?? 0;
  if (t < fromUs || t > toUs) return;
  const name = names.get(id)!;
  if (name === '(idle)') return void (idle += dt);
  selfUs.set(name, (selfUs.get(name) ?? 0) + dt);
  const file = fileOf(id);
  fileUs.set(file, (fileUs.get(file) ?? 0) + dt);
  total += dt;
});
const span = Math.min(toUs, t) - fromUs;
const top = [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
console.log(
  JSON.stringify(
    {
      profile: basename(file),
      seconds: Math.round(span / 1e4) / 100,
      busyPercentOfCore: Math.round((total / span) * 1e4) / 100,
      idleSeconds: Math.round(idle / 1e4) / 100,
      byFile: [...fileUs].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)).map(([file, us]) => ({ file, ms: Math.round(us / 100) / 10, percentOfBusy: Math.round((us / total) * 1000) / 10 })),
      top: top.map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10, percentOfBusy: Math.round((us / total) * 1000) / 10 })),
    },
    null,
    2,
  ),
);
