#!/usr/bin/env node
/**
 * watchroom-verify: checks an evidence package without the app running.
 *
 *   watchroom-verify PACKAGE [--trust KEY.pem ...] [--data DIR] [--json]
 *   watchroom-verify --ledger DATA_DIR [--mirror DIR] [--tsa-ca CA.pem] [--key KEY.pem] [--json]
 *   watchroom-verify --receipt RECEIPT.json [--data DATA_DIR] [--key KEY.pem] [--json]
 *   watchroom-verify --report REPORT_DIR [--data DATA_DIR] [--key KEY.pem] [--json]
 *
 * --ledger checks a workstation's whole audit ledger: the chain, every checkpoint's signature (with
 * the workstation key, or --key: better, the copy your organisation published), the mirror's copies,
 * and each time-stamp against the authority's CA. It names the first entry that breaks; exit 0 when
 * everything holds, 1 otherwise.
 *
 * --receipt checks a retention pass's deletion receipt: its signature (workstation key, or --key),
 * and that the ledger of its data folder (the one it lies in, or --data) entered it and each deletion.
 *
 * --report checks a monthly oversight report folder: SHA256SUMS and its signature (workstation key,
 * or --key), that the checkpoint it names is in the data folder's checkpoints (the folder it lies
 * in, <data>/reports/<report>, or --data) and signed, that the ledger up to it is intact, and that
 * report.json is byte for byte what that ledger gives; else it names the first section that differs.
 *
 * Three honest outcomes, each with its own exit code: 0 verified (intact, signed by a key trusted
 * here); 3 intact but signed by a key this workstation does not trust (compare the fingerprint with
 * the sender's); 1 failed. 2 is a usage error.
 *
 * Trusted signers: those of this workstation's data folder (--data, else WATCHROOM_DATA, else the
 * app's usual folders), plus each --trust. The package's own key is never accepted as a --trust:
 * a key that came with the package proves nothing about who made it. When a data folder is found,
 * the result is left for that workstation's app to enter in its audit ledger.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { VerificationOutcome, VerificationReport } from '../../shared/evidence.js';
import { checkLedger } from '../core/audit/ledger-check.js';
import { CHECKPOINTS_FILE } from '../core/audit/ledger-checkpoints.js';
import { workstationDataDirs } from '../core/data-dirs.js';
import { keysDir, leaveInInbox, verificationDetails } from '../core/evidence/evidence-service.js';
import { verifyPackage } from '../core/evidence/package-verifier.js';
import { checkDeletionReceipt } from '../core/recording/receipt-check.js';
import { checkReport } from '../core/oversight/report-check.js';
import { keyFingerprint } from '../core/evidence/signing-key.js';
import { trustedFingerprints } from '../core/evidence/trusted-keys.js';
import { printable, printableJson } from '../core/printable.js';

const USAGE = [
  'Usage: watchroom-verify PACKAGE [--trust KEY.pem ...] [--data DIR] [--json]',
  '       watchroom-verify --ledger DATA_DIR [--mirror DIR] [--tsa-ca CA.pem] [--key KEY.pem] [--json]',
  '       watchroom-verify --receipt RECEIPT.json [--data DATA_DIR] [--key KEY.pem] [--json]',
  '       watchroom-verify --report REPORT_DIR [--data DATA_DIR] [--key KEY.pem] [--json]',
].join('\n');
export const EXIT: Record<VerificationOutcome | 'usage', number> = { verified: 0, failed: 1, usage: 2, 'signer-untrusted': 3 };

const say = (stream: NodeJS.WriteStream, lines: string[]) => stream.write(`${lines.map(printable).join('\n')}\n`);
const usage = (problem: string) => (say(process.stderr, [problem, USAGE]), EXIT.usage);

function inside(file: string, dir: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  return real(file).startsWith(real(dir) + sep);
}

function describe(report: VerificationReport, recorded: string, trustedByFlag: ReadonlySet<string>): string[] {
  // Not a package at all: the one sentence the app gives too, not a report of empty fields.
  const notPackage = report.failures.find((f) => f.code === 'not-a-package');
  if (notPackage) return [notPackage.message, 'RESULT:  FAILED — nothing was checked.', recorded];
  const out = [
    `Package: ${report.packagePath}`,
    `Case:    ${report.caseReference ?? 'unknown'}`,
    `Signer:  ${report.signer.fingerprint ?? 'unknown'} (${report.signer.trusted ? 'trusted here' : 'NOT trusted here'})`,
    // A site package: each recorder vouches for the footage it recorded, with a key of its own.
    ...report.custodySigners.map((s) => `Custody: recorder ${s.recorderId}, ${s.fingerprint ?? 'unknown'} (${s.trusted ? 'trusted here' : 'NOT trusted here'})`),
    `Files:   ${report.filesChecked} match SHA256SUMS`,
  ];
  if (report.outcome === 'verified') {
    out.push('RESULT:  VERIFIED — every file, the signature, the signer, the manifest and the custody extract check out.');
    if (trustedByFlag.has(report.signer.fingerprint ?? '')) out.push('         The signer is trusted because of --trust: that proves who signed only if the key reached you apart from the package.');
    const recordersByFlag = report.custodySigners.filter((s) => trustedByFlag.has(s.fingerprint ?? '')).map((s) => s.recorderId);
    if (recordersByFlag.length > 0) out.push(`         Recorder ${recordersByFlag.join(', ')}: trusted because of --trust, which proves who vouched only if the key reached you apart from the package.`);
  }
  else if (report.outcome === 'signer-untrusted') {
    const untrusted = [report.signer, ...report.custodySigners].filter((k) => !k.trusted).map((k) => k.fingerprint);
    out.push(
      'RESULT:  INTACT, SIGNER NOT TRUSTED — nothing changed since it was signed, but by a key this workstation does not trust.',
      `         Compare ${untrusted.join(', ')} with the fingerprint the sending organisation gives you,`,
      '         then run again with --trust THEIR-KEY.pem (a copy from them, not the package’s own signer.pub.pem).',
    );
  } else {
    out.push(`RESULT:  FAILED — ${report.failures.length} problem(s):`);
    for (const f of report.failures) out.push(`  [${f.code}] ${f.message}`);
  }
  out.push(recorded);
  return out;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        trust: { type: 'string', multiple: true, default: [] },
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        ledger: { type: 'string' },
        mirror: { type: 'string' },
        'tsa-ca': { type: 'string' },
        key: { type: 'string' },
        receipt: { type: 'string' },
        report: { type: 'string' },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return (say(process.stdout, [USAGE]), 0);
  if (values.ledger !== undefined) {
    if (positionals.length > 0) return usage('--ledger checks a data folder; name no package with it.');
    return verifyLedger(resolve(values.ledger), { mirror: values.mirror, tsaCa: values['tsa-ca'], key: values.key, json: values.json });
  }
  if (values.receipt !== undefined) {
    if (positionals.length > 0) return usage('--receipt checks one receipt; name no package with it.');
    return verifyReceipt(resolve(values.receipt), { data: values.data, key: values.key, json: values.json });
  }
  if (values.report !== undefined) {
    if (positionals.length > 0) return usage('--report checks one report folder; name no package with it.');
    return verifyReport(resolve(values.report), { data: values.data, key: values.key, json: values.json });
  }
  if (positionals.length !== 1) return usage('Name one package folder.');
  const packageDir = resolve(positionals[0]!);

  const dataDir = values.data ? resolve(values.data) : (workstationDataDirs().find((d) => existsSync(join(keysDir(d), 'signing-key.pub.pem'))) ?? null);
  if (values.data && !existsSync(dataDir!)) return usage(`--data ${values.data}: there is no such folder.`);
  const trusted = dataDir ? trustedFingerprints(keysDir(dataDir)) : new Set<string>();
  const trustedByFlag = new Set<string>();
  for (const file of values.trust ?? []) {
    if (inside(file, packageDir)) return usage(`--trust ${file} is the package’s own key. A key that travels with a package proves nothing about who signed it; trust a copy of the sender’s key that reached you another way.`);
    try {
      const fingerprint = keyFingerprint(readFileSync(file, 'utf8'));
      if (!trusted.has(fingerprint)) trustedByFlag.add(fingerprint);
      trusted.add(fingerprint);
    } catch {
      return usage(`--trust ${file}: not a readable PEM public key.`);
    }
  }

  const report = await verifyPackage(packageDir, trusted);
  let recorded = '(Not recorded: no workstation data folder found; pass --data DIR to record this verification in its audit ledger.)';
  if (dataDir) {
    try {
      leaveInInbox(dataDir, { actor: userInfo().username, action: 'evidence.verify', subject: report.caseReference ?? report.packagePath, details: await verificationDetails(report, 'cli') });
      recorded = `(Recorded for the audit ledger of ${dataDir}.)`;
    } catch (error) {
      recorded = `(Not recorded: ${dataDir} could not be written: ${(error as Error).message})`;
    }
  }
  if (values.json) process.stdout.write(`${printableJson(report)}\n`);
  else say(process.stdout, describe(report, recorded, trustedByFlag));
  return EXIT[report.outcome];
}

async function verifyLedger(dataDir: string, opts: { mirror?: string; tsaCa?: string; key?: string; json: boolean }): Promise<number> {
  const ledgerFile = join(dataDir, 'audit.jsonl');
  if (!existsSync(ledgerFile)) return usage(`${dataDir} holds no audit ledger (audit.jsonl).`);
  for (const [flag, file] of [['--mirror', opts.mirror], ['--tsa-ca', opts.tsaCa], ['--key', opts.key]] as const) {
    if (file !== undefined && !existsSync(file)) return usage(`${flag} ${file}: there is no such file or folder.`);
  }
  const keyFile = opts.key ?? join(keysDir(dataDir), 'signing-key.pub.pem');
  const report = await checkLedger({
    ledgerFile,
    checkpointsFile: join(dataDir, CHECKPOINTS_FILE),
    publicKeyPem: existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : null,
    ...(opts.mirror ? { mirrorFile: join(resolve(opts.mirror), CHECKPOINTS_FILE) } : {}),
    ...(opts.tsaCa ? { timestampCaFile: resolve(opts.tsaCa) } : {}),
  });
  if (opts.json) {
    const { malformed: _lines, ...rest } = report;
    process.stdout.write(`${printableJson(rest)}\n`);
  } else {
    const out = [
      `Ledger:      ${ledgerFile}`,
      `Entries:     ${report.entries} (last ${report.lastSeq})`,
      `Checkpoints: ${report.checkpoints}, signed by ${report.key ?? 'an unknown key'}${opts.mirror ? `, held against the mirror ${opts.mirror}` : ' (no --mirror: copies elsewhere not compared)'}`,
      `Time-stamps: ${report.timestamps.present} present, ${opts.tsaCa ? `${report.timestamps.checked} checked` : 'not checked (give --tsa-ca)'}`,
    ];
    // Whoever can rewrite the folder can replace its key too: say so unless the key came from elsewhere.
    if (!opts.key) out.push('             (the key is the one in the folder checked; compare its fingerprint with the published one, or pass --key)');
    if (report.ok) out.push('RESULT:      INTACT — every entry links, and every checkpoint and time-stamp holds.');
    else {
      const first = report.problems[0]!;
      out.push(`RESULT:      BROKEN — first at entry ${first.seq ?? '?'}; ${report.problems.length} problem(s):`);
      for (const p of report.problems) out.push(`  [${p.code}] ${p.message}`);
    }
    say(process.stdout, out);
  }
  return report.ok ? 0 : 1;
}

async function verifyReceipt(file: string, opts: { data?: string; key?: string; json: boolean }): Promise<number> {
  if (!existsSync(file)) return usage(`--receipt ${file}: there is no such file.`);
  // A receipt lies in <data folder>/deletion-receipts/ unless it was copied elsewhere.
  const dataDir = opts.data ? resolve(opts.data) : dirname(dirname(file));
  const keyFile = opts.key ?? join(keysDir(dataDir), 'signing-key.pub.pem');
  if (!existsSync(keyFile)) return usage(`No key to check it with: ${keyFile} does not exist. Pass --key KEY.pem or --data DATA_DIR.`);
  const ledgerFile = join(dataDir, 'audit.jsonl');
  const report = await checkDeletionReceipt(file, { publicKeyPem: readFileSync(keyFile, 'utf8'), ...(existsSync(ledgerFile) ? { ledgerFile } : {}) });
  if (opts.json) process.stdout.write(`${printableJson(report)}\n`);
  else {
    const out = [
      `Receipt: ${file}`,
      `Issued:  ${report.at ?? 'unknown'}, ${report.segments} segment(s) deleted`,
      `Signer:  ${report.signer}${opts.key ? '' : ' (the key in the data folder; compare its fingerprint with the published one, or pass --key)'}`,
      `Ledger:  ${report.ledgerChecked ? ledgerFile : 'not found: only the signature was checked (pass --data DATA_DIR)'}`,
    ];
    if (report.ok) out.push('RESULT:  VERIFIED — signed by this key, and entered in the ledger as it stands.');
    else {
      out.push(`RESULT:  FAILED — ${report.problems.length} problem(s):`);
      for (const p of report.problems) out.push(`  [${p.code}] ${p.message}`);
    }
    say(process.stdout, out);
  }
  return report.ok ? 0 : 1;
}

async function verifyReport(dir: string, opts: { data?: string; key?: string; json: boolean }): Promise<number> {
  if (!existsSync(dir)) return usage(`--report ${dir}: there is no such folder.`);
  // A report lies in <data folder>/reports/ unless it was copied elsewhere.
  const dataDir = opts.data ? resolve(opts.data) : dirname(dirname(dir));
  if (!existsSync(join(dataDir, 'audit.jsonl'))) return usage(`${dataDir} holds no audit ledger (audit.jsonl): pass --data DATA_DIR, the workstation's data folder.`);
  const keyFile = opts.key ?? join(keysDir(dataDir), 'signing-key.pub.pem');
  if (!existsSync(keyFile)) return usage(`No key to check it with: ${keyFile} does not exist. Pass --key KEY.pem.`);
  const report = await checkReport(dir, { dataDir, publicKeyPem: readFileSync(keyFile, 'utf8') });
  if (opts.json) process.stdout.write(`${printableJson(report)}\n`);
  else {
    const out = [
      `Report:     ${dir}`,
      `Month:      ${report.month ?? 'unknown'} (UTC), drawn from checkpoint ${report.checkpointSeq ?? '?'}`,
      `Signer:     ${report.signer}${opts.key ? '' : ' (the key in the data folder; compare its fingerprint with the published one, or pass --key)'}`,
      `Ledger:     ${join(dataDir, 'audit.jsonl')}${report.recomputed ? ', report recomputed from it' : ''}`,
    ];
    if (report.ok) out.push('RESULT:     VERIFIED — signed by this key, and report.json is exactly what the ledger up to the checkpoint gives.');
    else {
      out.push(`RESULT:     FAILED — ${report.problems.length} problem(s):`);
      for (const p of report.problems) out.push(`  [${p.code}] ${p.message}`);
    }
    say(process.stdout, out);
  }
  return report.ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // A sentence, never a stack trace: whatever went wrong, the reader learns what and that nothing passed.
    say(process.stderr, [`watchroom-verify could not finish: ${error instanceof Error ? error.message : String(error)}`, 'RESULT:  FAILED — the package was not checked.']);
    process.exitCode = EXIT.failed;
  },
);
