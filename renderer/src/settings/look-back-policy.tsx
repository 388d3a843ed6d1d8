/**
 * The administrator's switch for reasons before looking back. It applies at once (and is audited);
 * everyone else sees how it is set.
 */
import { useEffect, useState } from 'react';
import type { ApiResult } from '../../../shared/api.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { usePermission } from '../session/permission-hint';

export function LookBackPolicy() {
  const [policy, setPolicy] = useState<ApiResult<'getViewingPolicy'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const configure = usePermission('recording.configure');
  useEffect(() => void api.getViewingPolicy().then(setPolicy, (e: unknown) => setProblem(errorMessage(e))), []);
  if (!policy) return problem ? <p className="form-error">{problem}</p> : null;

  const change = (reasonRequired: boolean) => api.setViewingPolicy({ reasonRequired }).then((p) => (setPolicy(p), setProblem(null)), (e: unknown) => setProblem(errorMessage(e)));
  return (
    <div className="form-field" data-testid="look-back-policy">
      <label>
        <input type="checkbox" data-testid="look-back-required" checked={policy.reasonRequired} disabled={!configure.allowed} onChange={(e) => void change(e.target.checked)} /> Ask for a reason or case reference before playback of footage older than {policy.instantReplayMinutes} minutes
      </label>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
