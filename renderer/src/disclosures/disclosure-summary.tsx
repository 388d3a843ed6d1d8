/** What a disclosure request asks for, in a few lines: the case, who asked, for whom, on what basis, why. */
import { LEGAL_BASIS_NAMES, type DisclosureRequest } from '../../../shared/disclosures.js';
import { ROLE_NAMES } from '../../../shared/roles.js';
import { formatLocalTime } from '../lib/format-time';
import { useCameras } from '../wall/use-cameras';

export function DisclosureSummary({ request }: { request: DisclosureRequest }) {
  const { export: e, legalBasis, requestedBy } = request;
  const { cameras } = useCameras();
  const cameraName = (id: string) => cameras?.find((c) => c.id === id)?.name ?? id;
  return (
    <dl className="disclosure-summary">
      <dt>Case</dt>
      <dd data-testid="disclosure-case">{e.caseReference}</dd>
      <dt>Asked by</dt>
      <dd>
        {requestedBy.displayName} ({ROLE_NAMES[requestedBy.role]}), {formatLocalTime(request.requestedAt)}
      </dd>
      <dt>For</dt>
      <dd data-testid="disclosure-recipient">
        {e.recipient?.person}, {e.recipient?.organisation}
      </dd>
      <dt>Legal basis</dt>
      <dd data-testid="disclosure-basis">
        {LEGAL_BASIS_NAMES[legalBasis.basis]}
        {legalBasis.text && `: ${legalBasis.text}`}
      </dd>
      <dt>Reason</dt>
      <dd>{e.reason}</dd>
      <dt>Footage</dt>
      <dd>
        {e.cameraIds.map(cameraName).join(', ')} · {formatLocalTime(e.fromMs)} – {formatLocalTime(e.toMs)}
      </dd>
    </dl>
  );
}
