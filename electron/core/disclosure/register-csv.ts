/**
 * The disclosure register as CSV that a spreadsheet opens without mangling: UTF-8 with a byte-order
 * mark (Excel reads UTF-8 only with it), CRLF line ends, RFC 4180 quoting (a field with a comma,
 * quote, CR or LF is quoted, quotes doubled), and cells that a spreadsheet would run as a formula
 * (starting with = + - @ tab or CR) prefixed with an apostrophe (OWASP's CSV-injection advice).
 */
import type { DisclosureRow } from '../../../shared/disclosures.js';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return `\uFEFF${rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const COLUMNS: ReadonlyArray<[string, (r: DisclosureRow) => string | number | null | undefined]> = [
  ['Left (UTC)', (r) => r.atUtc],
  ['Left (local)', (r) => r.atLocal],
  ['Case reference', (r) => r.caseReference],
  ['Requested by', (r) => r.requester.displayName ?? r.requester.name],
  ['Requester account', (r) => r.requester.name],
  ['Requester role', (r) => r.requester.role],
  ['Approved by', (r) => r.approver?.displayName ?? r.approver?.name],
  ['Approver account', (r) => r.approver?.name],
  ['Approver role', (r) => r.approver?.role],
  ['Approved (UTC)', (r) => r.approvedAtUtc],
  ['Approval note', (r) => r.approvalNote],
  ['Recipient', (r) => r.recipient.person],
  ['Recipient organisation', (r) => r.recipient.organisation],
  ['Legal basis', (r) => r.legalBasis?.basis],
  ['Legal basis text', (r) => r.legalBasis?.text],
  ['Reason', (r) => r.reason],
  ['Camera ids', (r) => r.cameras.map((c) => c.id).join('; ')],
  ['Camera names', (r) => r.cameras.map((c) => c.name ?? '').join('; ')],
  ['From (UTC)', (r) => r.fromUtc],
  ['To (UTC)', (r) => r.toUtc],
  ['Package', (r) => r.packageName],
  ['Package SHA-256 (of SHA256SUMS)', (r) => r.packageSha256],
  ['Signer fingerprint', (r) => r.signer],
  ['Request id', (r) => r.requestId],
  ['Request seq', (r) => r.requestSeq],
  ['Approval seq', (r) => r.approvalSeq],
  ['Export seq', (r) => r.exportSeq],
  ['Sealed seq', (r) => r.sealedSeq],
  // On a site each seq counts in the ledger of the process named here (blank on one machine).
  ['Request node', (r) => r.requestNode],
  ['Approval node', (r) => r.approvalNode],
  ['Export node', (r) => r.exportNode],
  ['Problems', (r) => r.problems.join(' ')],
];

export const REGISTER_COLUMNS = COLUMNS.map(([name]) => name);

export function disclosuresCsv(rows: readonly DisclosureRow[]): string {
  return toCsv([REGISTER_COLUMNS, ...rows.map((row) => COLUMNS.map(([, cell]) => String(cell(row) ?? '')))]);
}
