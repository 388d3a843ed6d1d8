/**
 * Admitting the site's processes, for administrators: the list with each key's fingerprint, and an
 * admission, which names the keys the process registered, is signed with the site key and ledgered.
 * The administrator types the fingerprint the process showed at its start: a process someone
 * registered under another's name, with keys of their own, does not match it.
 */
import type { SiteKeyInfo, SiteNode } from '../../../shared/site.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Handlers } from '../api/handlers.js';
import { keyFingerprint, verifySignature } from '../evidence/signing-key.js';
import type { LeaseStore, NodeRow } from './lease-store.js';
import { makeSiteKey, signAdmission, siteKeyFingerprint, siteKeyHere } from './site-admission.js';
import type { SiteTrust } from './site-trust.js';

type AdmissionHandlers = Pick<Handlers, 'listSiteNodes' | 'admitSiteNode' | 'getSiteKey' | 'confirmSiteKey'>;

const notASite = async (): Promise<never> => {
  throw new WatchroomError('site.not-a-site', 'This Watchroom is not part of a site: it records and shows its cameras itself.');
};

/** One machine has no site: nothing to admit. */
export const noSiteHandlers: AdmissionHandlers = { listSiteNodes: notASite, admitSiteNode: notASite, getSiteKey: notASite, confirmSiteKey: notASite };

const bareHex = (fingerprint: string) => fingerprint.toLowerCase().replace(/[^0-9a-f]/g, '');

/** A registered key's fingerprint; '' for one that is not a key (anyone who can write the directory can register anything). */
function fingerprintOf(publicKeyPem: string): string {
  try {
    return keyFingerprint(publicKeyPem);
  } catch {
    return '';
  }
}

/** A recorder's sealing key is one its own signing key signed: the fingerprint compared then vouches for both. */
const sealingKeyBound = (node: NodeRow) => node.role !== 'recorder' || verifySignature(Buffer.from(node.sealingKey), Buffer.from(node.sealingKeySignature, 'base64'), node.publicKey);

export function admissionHandlers(deps: { store: LeaseStore; trust: SiteTrust; termMs: number; nodeId: string; keysDir: string }): AdmissionHandlers {
  const { trust } = deps;
  const shown = (n: NodeRow): SiteNode => {
    const a = trust.admitted(n) ? trust.admission(n.id) : null;
    return { id: n.id, role: n.role, name: n.name, url: n.url, fingerprint: fingerprintOf(n.publicKey), alive: n.alive, admitted: a !== null, admittedBy: a?.admittedBy ?? null, admittedAt: a?.admittedAt ?? null, here: n.id === deps.nodeId };
  };
  /**
   * The site key's private half, here: made by the site's first admission, else this workstation must
   * hold the one in force. A key is published only where nobody told this workstation of another (or
   * it republishes its own): a directory emptied by its writer does not have a second key made here.
   */
  const siteKey = async (by: string) => {
    const known = trust.keyState().known;
    let inForce = await trust.table.siteKey();
    if (!inForce) {
      const held = siteKeyHere(deps.keysDir);
      if (known && known !== held?.fingerprint) throw new WatchroomError('site.key-elsewhere', `The site's admission key this workstation knows (${known}) is no longer in the directory: someone with the directory's login removed it. Nothing was admitted; ask who can write to the directory.`);
      inForce = await trust.table.publishSiteKey({ publicKey: (held ?? makeSiteKey(deps.keysDir)).publicKeyPem, madeBy: by, madeAt: Date.now() });
    }
    const here = siteKeyHere(deps.keysDir);
    if (!here || here.fingerprint !== fingerprintOf(inForce.publicKey)) {
      throw new WatchroomError('site.key-elsewhere', `The directory's admission key (${fingerprintOf(inForce.publicKey) || 'not a key'}; its row says ${inForce.madeBy} made it) was not made on this workstation. Admissions are made on the workstation that made the site's key; if no workstation of the site made this one, someone else put it in the directory: confirm nothing, and ask who can write to it.`);
    }
    await trust.refresh(); // pins it here, if this is the first time it is seen
    if (trust.key()?.publicKey !== inForce.publicKey) throw new WatchroomError('site.key-elsewhere', 'The directory’s admission key is not the one this workstation knows: see its log.');
    return here;
  };
  const keyInfo = (): SiteKeyInfo | null => {
    const { key, known, state } = trust.keyState();
    if (!key || state === 'none') return null;
    const fingerprint = fingerprintOf(key.publicKey);
    return { fingerprint, known, madeBy: key.madeBy, madeAt: key.madeAt, state, madeHere: !!fingerprint && siteKeyHere(deps.keysDir)?.fingerprint === fingerprint };
  };
  return {
    getSiteKey: async () => (await trust.refresh(), keyInfo()),
    confirmSiteKey: async ({ fingerprint }, ctx) => {
      await trust.refresh();
      const inForce = keyInfo();
      if (!inForce) throw new WatchroomError('site.no-key', 'The site has no admission key yet: it is made by the first admission, on the workstation where it is made.');
      if (bareHex(fingerprint) !== bareHex(inForce.fingerprint)) {
        throw new WatchroomError('site.fingerprint-mismatch', 'That is not the fingerprint of the admission key in the directory: compare again with what Site processes… shows on the workstation that made it. If they differ, someone else published a key: do not confirm it.', [
          { field: 'fingerprint', code: 'site.fingerprint-mismatch', message: 'This is not the fingerprint of the key in the directory. Compare again with the workstation that made it; if they differ, do not confirm.' },
        ]);
      }
      // A workstation that knows another key (a swap, or --site-key) is not re-pinned by a confirmation: that is the writer's way in.
      if (inForce.state === 'other') {
        throw new WatchroomError('site.key-replaced', `This workstation knows the site's admission key as ${inForce.known}, and the directory now holds another: someone may have replaced it. Nothing was confirmed; ask who can write to the directory.`);
      }
      if ((await trust.confirm(inForce.fingerprint)) !== 'confirmed') throw new WatchroomError('site.key-replaced', 'The key could not be confirmed here: see this workstation’s log. Nothing was confirmed.');
      ctx.record('site-key', { fingerprint: inForce.fingerprint });
      return keyInfo()!;
    },
    listSiteNodes: async () => {
      await trust.refresh();
      return (await deps.store.nodes(deps.termMs)).map(shown);
    },
    admitSiteNode: async ({ nodeId, fingerprint }, ctx) => {
      const node = (await deps.store.nodes(deps.termMs)).find((n) => n.id === nodeId);
      if (!node) throw new WatchroomError('site.node-not-found', `No process called ${nodeId} has registered in the directory.`);
      const registered = fingerprintOf(node.publicKey);
      if (!registered || bareHex(fingerprint) !== bareHex(registered)) {
        throw new WatchroomError('site.fingerprint-mismatch', `That is not the fingerprint of ${nodeId}'s key as registered: compare again with what the process shows at its start. Another process may have registered under its name.`, [
          { field: 'fingerprint', code: 'site.fingerprint-mismatch', message: 'This is not the fingerprint of the key this process registered: compare again with what it shows where it runs.' },
        ]);
      }
      if (!sealingKeyBound(node)) {
        throw new WatchroomError('site.sealing-key-unbound', `The key ${nodeId} would keep camera passwords with is not signed by the key whose fingerprint you compared: someone other than the process put it in the directory. It was not admitted; restart the recorder and look at who can write to the directory.`);
      }
      const key = await siteKey(ctx.person!.name);
      await trust.table.add(signAdmission(key, { nodeId, role: node.role, publicKey: node.publicKey, sealingKey: node.sealingKey, admittedBy: ctx.person!.name, admittedAt: Date.now() }));
      await trust.refresh();
      ctx.record(nodeId, { role: node.role, name: node.name, fingerprint: registered, siteKey: siteKeyFingerprint(key.publicKeyPem) });
      return shown(node);
    },
  };
}
