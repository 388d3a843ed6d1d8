/**
 * A finished export: where the package lies and, in the browser shell (which cannot hand over a
 * folder), a link that downloads it as a zip. The link is signed for this session and lasts a while,
 * so it is signed again when the person reaches for it after that while.
 */
import { useCallback, useEffect, useState } from 'react';
import { packageDownload } from '../api/client';
import { errorMessage } from '../lib/error-message';

/** Shorter than a media link lasts (30 min), so a link signed before it is still good when clicked. */
const RESIGN_AFTER_MS = 10 * 60_000;

export function PackageReady({ path }: { path: string }) {
  const name = path.split(/[\\/]/).pop() ?? path;
  const [link, setLink] = useState<{ href: string; at: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const sign = useCallback(() => {
    packageDownload?.(name).then((href) => (setLink({ href, at: Date.now() }), setProblem(null)), (error: unknown) => setProblem(errorMessage(error)));
  }, [name]);
  useEffect(sign, [sign]);
  const fresh = () => link && Date.now() - link.at > RESIGN_AFTER_MS && sign();

  return (
    <div className="export-done" data-testid="export-done">
      <p>
        Package <strong data-testid="export-package-name">{name}</strong> written to <code>{path}</code>
      </p>
      {packageDownload && (
        <p>
          {link ? (
            <a className="export-download" data-testid="export-download" href={link.href} download={`${name}.zip`} onPointerEnter={fresh} onFocus={fresh}>
              Download package (zip)
            </a>
          ) : (
            !problem && 'Preparing the download link…'
          )}
          {problem && <span className="form-error" role="alert">{problem}</span>}
        </p>
      )}
    </div>
  );
}
