/**
 * What a site's directory costs PostgreSQL (issue 13's sizing: 1,000 cameras, 10 recorders, 20
 * workstations). A throw-away cluster; 1,000 camera rows; 10 recorders, each a directory connection
 * of its own with a real LeaseKeeper (default timing) sharing the cameras out; 20 workstations, each a
 * directory connection that says it is up every round and reloads the leases and the camera list on
 * every notice, as a workstation core does; each recorder also reports its coverage every 15 s, of
 * every camera it holds, recorded without a break since it took it (a recorder's segment index,
 * reduced to what the report reads). Once every camera is held, a window of `--seconds`
 * measures the server: CPU of its processes, transactions and WAL bytes a second, connections. Then
 * one recorder stops without a word, and the bench measures how long until its cameras are all held
 * by the others. Prints JSON; never fails on the figures. (The test cluster runs with fsync off.)
 *
 *   npm run bench:directory-load [-- --cameras 1000 --recorders 10 --workstations 20 --seconds 60]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Directory } from '../electron/core/directory/directory.js';
import { openPostgresDirectory } from '../electron/core/directory/postgres-directory.js';
import { DEFAULT_LEASE_TIMING, LeaseKeeper } from '../electron/core/recorders/lease-keeper.js';
import { COVERAGE_EVERY_MS, CoverageReporter, type FootageIndex } from '../electron/core/recorders/coverage.js';
import type { Logger } from '../electron/core/logger.js';
import { startTestPostgres } from '../tests/fixtures/postgres.js';
import { coalesced } from '../electron/core/coalesced.js';
import { waitFor } from '../tests/fixtures/wait-for.js';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '1000' }, recorders: { type: 'string', default: '10' }, workstations: { type: 'string', default: '20' }, seconds: { type: 'string', default: '60' } } });
const cameraCount = Number(values.cameras);
const recorderCount = Number(values.recorders);
const workstationCount = Number(values.workstations);
const seconds = Number(values.seconds);
const quiet: Logger = { log: () => undefined };
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU seconds of the cluster's server and every process it started (those that ended counted in its children's time). */
function serverCpuSeconds(port: number): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  const postmaster = rows.find((m) => /\/postgres\s/.test(m[3]!) && m[3]!.includes(`-p ${port} `));
  if (!postmaster) throw new Error('cannot find the test cluster’s server process');
  const ticks = (pid: string, withChildren: boolean) => {
    try {
      // Fields after the command: utime and stime are the 12th and 13th, cutime and cstime the next two.
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ').map(Number);
      return f[11]! + f[12]! + (withChildren ? f[13]! + f[14]! : 0);
    } catch {
      return 0; // ended meanwhile: its time is in the server's children's time now
    }
  };
  const children = rows.filter((m) => m[2] === postmaster[1]).map((m) => m[1]!);
  return (ticks(postmaster[1]!, true) + children.reduce((sum, pid) => sum + ticks(pid, false), 0)) / TICKS;
}

const cluster = await startTestPostgres();
const url = await cluster.createDatabase();
const directories: Directory[] = [];
const open = async () => {
  const d = openPostgresDirectory(url, quiet);
  directories.push(d);
  await d.ready;
  return d;
};
const keepers: LeaseKeeper[] = [];
const reporters: CoverageReporter[] = [];
const timers: NodeJS.Timeout[] = [];
try {
  const admin = await open();
  const cameraIds = Array.from({ length: cameraCount }, (_, i) => `cam-${String(i).padStart(10, '0')}`);
  await admin.site!.cameras.write(cameraIds.map((id, i) => ({ record: { id, name: `Camera ${i}`, url: `rtsp://10.0.${Math.floor(i / 250)}.${i % 250}/stream`, enabled: true, demo: false, recording: true, group: `Site ${i % 7}` } })));
  const wanted = cameraIds.map((id) => ({ id, assignedTo: null }));
  const key = 'bench-public-key';
  for (let r = 0; r < recorderCount; r++) {
    const d = await open();
    const since = new Map<string, number>();
    const footage: FootageIndex = {
      cameraIds: () => [...since.keys()],
      ranges: (id, _from, to) => [{ startMs: since.get(id)!, endMs: to }],
      oldestStart: (id) => since.get(id) ?? null,
    };
    const keeper = new LeaseKeeper({
      recorder: { id: `rec-${r}`, role: 'recorder', name: `Recorder ${r}`, url: `http://10.1.0.${r}:8650`, publicKey: key, sealingKey: key, sealingKeySignature: '' },
      store: d.site!.leases,
      cameras: () => wanted,
      capacity: Math.ceil((cameraCount / recorderCount) * 2),
      onGained: (lease) => void since.set(lease.cameraId, Date.now()),
      onLost: (id) => void since.delete(id),
      logger: quiet,
    });
    keepers.push(keeper);
    keeper.start();
    const reporter = new CoverageReporter({ table: d.site!.coverage, recorderId: `rec-${r}`, index: footage, everyMs: COVERAGE_EVERY_MS, logger: quiet });
    reporters.push(reporter);
    reporter.start();
  }
  let reloads = 0;
  for (let w = 0; w < workstationCount; w++) {
    const d = await open();
    const me = { id: `ws-${w}`, role: 'workstation' as const, name: `Workstation ${w}`, url: '', publicKey: key, sealingKey: '', sealingKeySignature: '' };
    const beat = () => void d.site!.leases.heartbeat(me, DEFAULT_LEASE_TIMING.termMs).then(() => d.site!.leases.nodes(DEFAULT_LEASE_TIMING.termMs)).catch(() => undefined);
    timers.push(setInterval(beat, DEFAULT_LEASE_TIMING.roundMs));
    // As a workstation core does: reloads coalesced while one is in flight (electron/core/coalesced.ts).
    const leases = coalesced(() => d.site!.leases.current().then(() => void reloads++));
    const cameras = coalesced(() => d.site!.cameras.load(quiet).then(() => void reloads++));
    d.onChange('leases', () => void leases().catch(() => undefined));
    d.onChange('cameras', () => void cameras().catch(() => undefined));
  }
  const t0 = Date.now();
  await waitFor('every camera held', async () => (await admin.site!.leases.current()).length === cameraCount, 180_000, 250);
  const allHeldMs = Date.now() - t0;

  const stats = async () => (await cluster.query<{ xacts: string; wal: string; conns: string }>(url, "SELECT (SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database)::text AS xacts, pg_current_wal_lsn()::text AS wal, (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::text AS conns"))[0]!;
  const lsn = (text: string) => text.split('/').reduce((acc, part) => acc * 2 ** 32 + parseInt(part, 16), 0);
  const before = { ...(await stats()), cpu: serverCpuSeconds(cluster.port), at: Date.now() };
  const reloadsBefore = reloads;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = { ...(await stats()), cpu: serverCpuSeconds(cluster.port), at: Date.now() };
  const window = (after.at - before.at) / 1000;

  // One recorder dies without a word: how long until the others hold all its cameras.
  const victim = keepers[0]!;
  const itsCameras = (await admin.site!.leases.current()).filter((l) => l.recorderId === 'rec-0').map((l) => l.cameraId);
  const killedAt = Date.now();
  await victim.stop(false);
  await waitFor('its cameras held by the others', async () => {
    const held = new Map((await admin.site!.leases.current()).map((l) => [l.cameraId, l.recorderId]));
    return itsCameras.every((id) => held.has(id) && held.get(id) !== 'rec-0');
  }, 120_000, 100);
  const takeoverMs = Date.now() - killedAt;

  console.log(
    JSON.stringify(
      {
        cameras: cameraCount,
        recorders: recorderCount,
        workstations: workstationCount,
        leaseTiming: DEFAULT_LEASE_TIMING,
        coverageEveryMs: COVERAGE_EVERY_MS,
        windowSeconds: Math.round(window),
        allCamerasHeldAfterMs: allHeldMs,
        serverCpuPercentOfOneCore: Math.round(((after.cpu - before.cpu) / window) * 1000) / 10,
        transactionsPerSecond: Math.round((Number(after.xacts) - Number(before.xacts)) / window),
        walBytesPerSecond: Math.round((lsn(after.wal) - lsn(before.wal)) / window),
        walGigabytesPerDay: Math.round(((lsn(after.wal) - lsn(before.wal)) / window) * 86_400 / 1e8) / 10,
        clientConnections: Number(after.conns),
        workstationReloadsPerSecond: Math.round(((reloads - reloadsBefore) / window) * 10) / 10,
        oneRecorderDies: { itsCameras: itsCameras.length, allTakenOverAfterMs: takeoverMs },
        loadAverage1m: loadavg()[0],
      },
      null,
      2,
    ),
  );
} finally {
  timers.forEach(clearInterval);
  await Promise.all(reporters.map((r) => r.stop()));
  await Promise.all(keepers.map((k) => k.stop(false)));
  await Promise.all(directories.map((d) => d.close()));
  await cluster.stop();
}
