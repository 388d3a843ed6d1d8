/** The disclosure requests this person may see (all for approvers, their own otherwise), kept current by events. */
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import { api } from '../api/client';
import { useCoreResource } from '../api/use-core-resource';

const load = () => api.listDisclosureRequests();

export function useDisclosureRequests(): { requests: DisclosureRequest[] | null; error: string | null } {
  const { data, error } = useCoreResource(load, 'disclosures.changed');
  return { requests: data, error };
}

/** Requests waiting for `personId` to decide: pending, and not their own (nobody approves their own). */
export const awaitingDecision = (requests: readonly DisclosureRequest[], personId: string) => requests.filter((r) => r.state === 'pending' && r.requestedBy.id !== personId);
