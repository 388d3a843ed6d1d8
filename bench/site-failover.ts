/**
 * How long a site's camera goes unrecorded and unseen when its recorder dies (issue 13: "within
 * 15 s, measured"). A throw-away PostgreSQL cluster, a real GStreamer camera, two watchroom-recorder
 * processes with the default lease timing, and one workstation core watching the camera live. Each
 * round SIGKILLs whichever recorder holds the camera and measures, from the kill:
 *   leaseMovedMs      the other recorder holds the camera in the directory;
 *   recordingFromMs   the first segment the survivor recorded begins (footage from then on);
 *   liveAgainMs       the workstation's view has a picture again (first fragment after the new init);
 *   gapMs             the unrecorded stretch: the survivor's first segment start less the end of the
 *                     killed recorder's last segment (its open one is salvaged when it restarts).
 * The killed recorder is then restarted on its own folder for the next round. Prints JSON; never
 * fails on the figures.
 *
 *   npm run build && npm run bench:site-failover [-- --rounds 3]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { StreamPath } from '../shared/events.js';
import type { StreamSink } from '../electron/core/streams/stream-fanout.js';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { startTestPostgres } from '../tests/fixtures/postgres.js';
import { startRecorderProcess, type RecorderProcess } from '../tests/fixtures/recorder-process.js';
import { admitProcesses, workstationFingerprint } from '../tests/fixtures/site-admission.js';
import { startTestHost } from '../tests/fixtures/test-host.js';
import { waitFor } from '../tests/fixtures/wait-for.js';
import { DEFAULT_LEASE_TIMING } from '../electron/core/recorders/lease-keeper.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);

/** A live view that notes when its picture comes back after a new init. */
class View implements StreamSink {
  inits: number[] = [];
  fragments: number[] = [];
  init(_codec: string, _path: StreamPath) {
    this.inits.push(Date.now());
  }
  fragment() {
    this.fragments.push(Date.now());
  }
  backlog() {
    return 0;
  }
  end() {}
}

const cluster = await startTestPostgres();
const url = await cluster.createDatabase();
const camera = await startTestCamera({ codec: 'h264', label: 'Failover' });
const recorders: RecorderProcess[] = await Promise.all([startRecorderProcess(url, 'rec-a'), startRecorderProcess(url, 'rec-b')]);
const workstation = await startTestHost({ directory: { url }, site: { role: 'workstation', name: 'Bench workstation', nodeId: 'ws-bench' } });
const holder = async (cameraId: string) => (await cluster.query<{ recorder_id: string }>(url, 'SELECT recorder_id FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [cameraId]))[0]?.recorder_id;
try {
  await workstation.core.directoryReady;
  await admitProcesses(workstation.api, [...recorders, { id: 'ws-bench', fingerprint: workstationFingerprint(workstation.dataDir) }]);
  const cameraId = (await workstation.api.addCamera({ name: 'Failover', url: camera.url })).id;
  const view = new View();
  const close = workstation.core.openLive(workstation.token, cameraId, view, 'main');
  const samples: Array<{ leaseMovedMs: number; recordingFromMs: number; liveAgainMs: number; gapMs: number }> = [];
  for (let round = 0; round < rounds; round++) {
    const victimId = await waitFor('a recorder to hold the camera', () => holder(cameraId), 60_000);
    const victim = recorders.find((r) => r.id === victimId)!;
    const survivor = recorders.find((r) => r !== victim)!;
    await waitFor('the victim to record and the view to play', () => victim.footage(cameraId).length > 0 && view.fragments.length > 10, 120_000);
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    const leaseMovedAt = await waitFor('the survivor to hold the camera', async () => (await holder(cameraId)) === survivor.id && Date.now(), 60_000, 50);
    const firstNew = await waitFor('a segment from the survivor', () => survivor.segments(cameraId).find((s) => s.startMs > killedAt - 1_000), 90_000, 100);
    const liveAgainAt = await waitFor('the view to play again', () => {
      const init = view.inits.find((t) => t > killedAt);
      return init && view.fragments.find((t) => t >= init);
    }, 60_000, 50);
    // Restarted on its own folder: its open segment at the kill is salvaged, and it stands by for the next round.
    const again = await startRecorderProcess(url, victim.id, { dataDir: victim.dataDir });
    recorders[recorders.indexOf(victim)] = again;
    const lastOld = await waitFor('the killed recorder’s footage salvaged', () => again.segments(cameraId).filter((s) => s.startMs < killedAt).at(-1), 60_000);
    samples.push({ leaseMovedMs: leaseMovedAt - killedAt, recordingFromMs: firstNew.startMs - killedAt, liveAgainMs: liveAgainAt - killedAt, gapMs: firstNew.startMs - lastOld.endMs });
  }
  close();
  const max = (key: keyof (typeof samples)[number]) => Math.max(...samples.map((s) => s[key]));
  console.log(
    JSON.stringify(
      {
        rounds,
        leaseTiming: DEFAULT_LEASE_TIMING,
        samples,
        worst: { leaseMovedMs: max('leaseMovedMs'), recordingFromMs: max('recordingFromMs'), liveAgainMs: max('liveAgainMs'), gapMs: max('gapMs') },
        loadAverage1m: loadavg()[0],
      },
      null,
      2,
    ),
  );
} finally {
  await workstation.close();
  await Promise.all(recorders.map((r) => r.stop()));
  await stopAllTestCameras();
  await cluster.stop();
}
