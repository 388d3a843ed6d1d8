/**
 * The disclosure register (issue 12, point 3), built from the ledger alone so anyone holding the
 * ledger file can reproduce it (readLedgerLines over a copy gives the same rows): one row per package
 * that left, i.e. per `evidence.export` entry with a recipient, joined with the request and approval
 * entries by request id and the `evidence.sealed` entry (the package's hash) by package id. Each row
 * names the sequence numbers it was read from. A site's register reads the copies of every
 * workstation's entries in the directory (register-copies.ts): each entry then names its process.
 */
import type { AuditEntry } from '../../../shared/api.js';
import type { DisclosureQuery, DisclosureRow } from '../../../shared/disclosures.js';

/** An entry and, on a site, the process whose ledger holds it and whether the directory's copy of it was edited. */
export type RegisterEntry = { entry: AuditEntry | null; node?: string; altered?: true };
type Found = { entry: AuditEntry; node: string | null; altered: boolean };

type Details = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Details | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Details) : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);

/** 2026-12-02T01:02:03.000Z → 2026-12-02 02:02:03 +01:00 in this workstation's time zone. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** Every row, newest first, that the query lets through. */
export async function disclosureRegister(ledger: AsyncIterable<RegisterEntry>, query: DisclosureQuery = {}): Promise<DisclosureRow[]> {
  const requested = new Map<string, Found>();
  const approved = new Map<string, Found>();
  const sealed = new Map<string, Found>();
  const exported: Found[] = [];
  const all: Found[] = [];
  // Copies their own process found unlike its ledger (each `${node}#${seq}`): as edited as a broken hash.
  const differ = new Set<string>();
  for await (const { entry, node, altered } of ledger) {
    if (!entry?.details) continue;
    const found = { entry, node: node ?? null, altered: altered === true };
    all.push(found);
    if (entry.action === 'disclosure.copy-differs') differ.add(`${node ?? ''}#${String(entry.details.seq)}`);
    const requestId = str(entry.details.requestId);
    if (entry.action === 'disclosure.requested' && requestId) requested.set(requestId, found);
    else if (entry.action === 'disclosure.approved' && requestId) approved.set(requestId, found);
    else if (entry.action === 'evidence.sealed' && str(entry.details.packageId)) sealed.set(str(entry.details.packageId)!, found);
    else if (entry.action === 'evidence.export' && obj(entry.details.recipient)) exported.push(found);
  }
  for (const f of all) if (differ.has(`${f.node ?? ''}#${f.entry.seq}`)) f.altered = true;
  const rows = exported.map((e) => rowOf(e, requested, approved, sealed));
  return rows.filter((row) => matches(row, query)).sort((a, b) => b.atUtc.localeCompare(a.atUtc) || b.exportSeq - a.exportSeq);
}

function rowOf(found: Found, requested: Map<string, Found>, approved: Map<string, Found>, sealed: Map<string, Found>): DisclosureRow {
  const e = found.entry;
  const d = e.details!;
  const disclosure = obj(d.disclosure);
  const requestId = str(disclosure?.requestId);
  const requestFound = requestId ? requested.get(requestId) : undefined;
  const approvalFound = requestId ? approved.get(requestId) : undefined;
  const sealFound = sealed.get(String(d.packageId));
  const [request, approval, seal] = [requestFound?.entry, approvalFound?.entry, sealFound?.entry];
  const recipient = obj(d.recipient)!;
  const basis = obj(disclosure?.legalBasis) ?? obj(request?.details?.legalBasis);
  const range = obj(d.range);
  const names = strings(d.cameraNames);
  const person = (p: unknown) => str(obj(p)?.displayName);
  return {
    atUtc: e.at,
    atLocal: localTime(e.at),
    requestId,
    requester: { name: e.actor, displayName: person(disclosure?.requestedBy), role: e.role ?? null },
    approver: approval ? { name: approval.actor, displayName: person(disclosure?.approvedBy), role: approval.role ?? null } : null,
    approvedAtUtc: approval?.at ?? null,
    approvalNote: approval ? (str(approval.details?.note) ?? '') : null,
    recipient: { person: String(recipient.person ?? ''), organisation: String(recipient.organisation ?? '') },
    legalBasis: basis ? { basis: String(basis.basis ?? ''), text: String(basis.text ?? '') } : null,
    reason: String(d.reason ?? ''),
    caseReference: String(d.caseReference ?? e.subject),
    cameras: strings(d.cameras).map((id, i) => ({ id, name: names[i] ?? null })),
    fromUtc: str(range?.startUtc),
    toUtc: str(range?.endUtc),
    packageId: String(d.packageId ?? ''),
    packageName: str(seal?.details?.package) ?? String(d.package ?? ''),
    packageSha256: str(seal?.details?.sha256sumsSha256),
    signer: str(d.signer),
    requestSeq: request?.seq ?? null,
    approvalSeq: approval?.seq ?? null,
    exportSeq: e.seq,
    sealedSeq: seal?.seq ?? null,
    requestNode: requestFound?.node ?? null,
    approvalNode: approvalFound?.node ?? null,
    exportNode: found.node,
    problems: problemsOf({ request: requestFound, approval: approvalFound, export: found, seal: sealFound }, disclosure),
  };
}

/**
 * Four eyes as the ledger shows them: a request, an approval by someone else, both before the export,
 * for the very request that was built (its hash), and the package's seal. Anything else is named.
 */
function problemsOf(e: { request: Found | undefined; approval: Found | undefined; export: Found; seal: Found | undefined }, disclosure: Details | null): string[] {
  const problems: string[] = [];
  const [request, approval, exported] = [e.request?.entry, e.approval?.entry, e.export.entry];
  if (!disclosure) problems.push('Left without a four-eyes approval (exported before disclosures needed one).');
  else {
    if (!request) problems.push('The ledger has no request entry for it.');
    if (!approval) problems.push('The ledger has no approval entry for it.');
    // Who asked is the request entry's actor: the package is exported in the stored requester's name, which an edit of the database could change.
    if (approval && [request?.actor, exported.actor].includes(approval.actor)) problems.push('Approved by the person who asked for it.');
    if (request && request.actor !== exported.actor) problems.push('Built in the name of someone other than the person who asked for it (the request was edited).');
    // Sequence numbers order one ledger's entries only: a site's request and approval may be in other workstations' ledgers.
    if ([e.request, e.approval].some((x) => x && x.node === e.export.node && x.entry.seq > exported.seq)) problems.push('Its request or approval entry comes after the export.');
    const hashes = [request?.details?.requestSha256, approval?.details?.requestSha256, disclosure.requestSha256].filter((h) => h !== undefined);
    if (new Set(hashes).size > 1) problems.push('What was built differs from what was asked or approved (the request hashes disagree).');
  }
  if (!e.seal) problems.push('The ledger has no seal entry (package hash) for it.');
  const edited = (['request', 'approval', 'export', 'seal'] as const).filter((k) => e[k]?.altered);
  if (edited.length) problems.push(`The directory’s copy of its ${edited.join(', ')} entr${edited.length === 1 ? 'y was' : 'ies were'} edited after it was written (its hash no longer matches, or the process whose ledger holds it found it unlike its ledger).`);
  return problems;
}

function matches(row: DisclosureRow, q: DisclosureQuery): boolean {
  const at = Date.parse(row.atUtc);
  if (q.fromMs !== undefined && at < q.fromMs) return false;
  if (q.toMs !== undefined && at >= q.toMs) return false;
  if (q.legalBasis && row.legalBasis?.basis !== q.legalBasis) return false;
  const text = q.text?.trim().toLowerCase();
  if (!text) return true;
  const haystack = [
    row.caseReference, row.reason, row.recipient.person, row.recipient.organisation, row.requester.name, row.requester.displayName,
    row.approver?.name, row.approver?.displayName, row.legalBasis?.text, row.packageName, ...row.cameras.flatMap((c) => [c.id, c.name]),
  ];
  return haystack.some((s) => s?.toLowerCase().includes(text));
}
