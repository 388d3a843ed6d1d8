/**
 * A site workstation's withheld masters (withheld-store.ts): a workstation keeps no footage, so the
 * unmasked master of a masked camera is made in a private work folder, handed to the recorder that
 * recorded the clip (recorders/site-masters.ts), and deleted here once the recorder's signed receipt
 * says it holds exactly those bytes. Sealed or discarded on every recorder it went to.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteMasters } from '../recorders/site-masters.js';
import { withheldMaster } from './withheld-masters.js';
import type { WithheldStore } from './withheld-store.js';

export function recorderWithheldStore(masters: SiteMasters, workRoot: string, packageId: string, signal: AbortSignal): WithheldStore {
  const workDir = join(workRoot, packageId);
  const sentTo = new Set<string>();
  const done = () => rmSync(workDir, { recursive: true, force: true });
  return {
    workDir,
    async keep(master, file, recorderId) {
      if (!recorderId) throw new Error('A site export’s footage comes from a recorder.');
      sentTo.add(recorderId); // before sending: a failure half way is discarded there too
      const kept = await masters.send(recorderId, packageId, master.path, file, { sha256: master.sha256, bytes: master.bytes }, signal);
      rmSync(file, { force: true });
      return {
        ...withheldMaster({ dir: workDir, shown: `evidence-store/${packageId}` }, master),
        why: `The camera has privacy masks: the unmasked master is kept by recorder ${recorderId}, which recorded it, in its evidence store; the working copy with the masks burned in derives from it.`,
        keptBy: { recorder: recorderId, fingerprint: kept.receipt.recorder.fingerprint },
        receipt: { text: kept.text, signature: kept.signature },
      };
    },
    async seal(sumsSha256) {
      for (const recorderId of sentTo) await masters.seal(recorderId, packageId, sumsSha256);
      done();
    },
    async discard() {
      done();
      // Best effort: a recorder that cannot be reached now sweeps what it was sent within a day.
      await Promise.all([...sentTo].map((id) => masters.discard(id, packageId).catch(() => undefined)));
    },
  };
}
