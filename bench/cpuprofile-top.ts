/**
 * Where a Node CPU profile (`node --cpu-prof`) spent its time: self time summed by function, the
 * heaviest first, as JSON. --from/--to (seconds into the profile) keep start-up and shut-down out.
 *
 *   node --import tsx bench/cpuprofile-top.ts FILE.cpuprofile [--top 25] [--from 20] [--to 60]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
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
  options: { top: { type: 'string', default: '25' }, from: { type: 'string', default: '0' }, to: { type: 'string', default: 'Infinity' } },
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
      top: top.map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10, percentOfBusy: Math.round((us / total) * 1000) / 10 })),
    },
    null,
    2,
  ),
);
