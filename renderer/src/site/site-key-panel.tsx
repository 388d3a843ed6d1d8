/**
 * The site's admission key as this workstation stands to it (issue 13): nobody trusts the first key
 * they see in the directory, so a workstation that did not make it admits nobody until an
 * administrator types the fingerprint shown on the workstation that made it. That one shows it, for
 * reading out to the others (and for writing on each recorder's machine, `<data>/site-key`).
 */
import type { SiteKeyInfo } from '../../../shared/site.js';
import { api } from '../api/client';
import { formatLocalTime } from '../lib/format-time';
import { FingerprintForm } from './fingerprint-form';

export function SiteKeyPanel({ siteKey, onConfirmed }: { siteKey: SiteKeyInfo | null; onConfirmed(): void }) {
  if (!siteKey) {
    return (
      <p className="menu-note" data-testid="site-key" data-state="none">
        The site has no admission key yet: the first admission makes it, on the workstation where it is made.
      </p>
    );
  }
  // The directory's row says who made it: whoever wrote the row.
  const made = `its row says made by ${siteKey.madeBy} at ${formatLocalTime(siteKey.madeAt)}`;
  const shown = (
    <code className="site-fingerprint" data-testid="site-key-fingerprint">
      {siteKey.fingerprint}
    </code>
  );
  if (siteKey.state === 'confirmed') {
    return (
      <p className="menu-note" data-testid="site-key" data-state="confirmed">
        Site admission key {shown} ({made}
        {siteKey.madeHere ? ', on this workstation: read it out to confirm it on the other workstations, and write it into each recorder’s data folder as site-key' : ', confirmed on this workstation'}).
      </p>
    );
  }
  if (siteKey.state === 'other') {
    return (
      <p className="form-error" role="alert" data-testid="site-key" data-state="other">
        The directory’s admission key {shown} is not the one this workstation knows,{' '}
        <code className="site-fingerprint" data-testid="site-key-known">
          {siteKey.known}
        </code>
        : someone may have replaced it. This workstation admits nobody; ask who can write to the directory.
      </p>
    );
  }
  return (
    <FingerprintForm
      className="site-key-confirm"
      formTestId="site-key"
      state="unconfirmed"
      label="Site key fingerprint shown on the workstation that made it"
      placeholder="Fingerprint shown where it was made"
      button="Confirm"
      testIds={{ input: 'site-key-input', submit: 'site-key-confirm', error: 'site-key-error' }}
      send={(typed) => api.confirmSiteKey({ fingerprint: typed }).then(onConfirmed)}
    >
      <p className="form-error" role="alert">
        This workstation has not confirmed the site’s admission key ({made}), so it admits nobody: it plays no recorder and trusts no process. Type the
        fingerprint that Site processes… shows on the workstation that made it. If they differ, do not confirm: someone else put a key in the directory.
      </p>
      <p className="menu-note">The directory’s key: {shown}</p>
    </FingerprintForm>
  );
}
