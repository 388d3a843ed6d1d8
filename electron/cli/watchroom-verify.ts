#!/usr/bin/env node
/**
 * watchroom-verify: checks an evidence package without the app running.
 *
 *   watchroom-verify PACKAGE [--trust KEY.pem ...] [--data DIR] [--json]
 *
 * Trusted signers: the workstation's own key and imported keys from --data DIR, plus each --trust.
 * Exit 0 only when every check holds; 1 when any fails; 2 for a usage error. With --data, the result
 * is left for that workstation's app to enter in its audit ledger.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { keyFingerprint } from '../core/evidence/signing-key.js';
import { verifyPackage } from '../core/evidence/package-verifier.js';
import { trustedFingerprints } from '../core/evidence/trusted-keys.js';
import { keysDir, leaveInInbox, verificationDetails } from '../core/evidence/evidence-service.js';

const USAGE = 'Usage: watchroom-verify PACKAGE [--trust KEY.pem ...] [--data DIR] [--json]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { trust: { type: 'string', multiple: true, default: [] }, data: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return (process.stdout.write(`${USAGE}\n`), 0);
  if (positionals.length !== 1) return (process.stderr.write(`Name one package folder.\n${USAGE}\n`), 2);

  const trusted = values.data ? trustedFingerprints(keysDir(resolve(values.data))) : new Set<string>();
  for (const file of values.trust ?? []) {
    try {
      trusted.add(keyFingerprint(readFileSync(file, 'utf8')));
    } catch {
      process.stderr.write(`--trust ${file}: not a readable PEM public key.\n`);
      return 2;
    }
  }
  const report = await verifyPackage(resolve(positionals[0]!), trusted);
  if (values.data) {
    leaveInInbox(resolve(values.data), { actor: userInfo().username, action: 'evidence.verify', subject: report.caseReference ?? report.packagePath, details: await verificationDetails(report, 'cli') });
  }

  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const out: string[] = [`Package: ${report.packagePath}`, `Case:    ${report.caseReference ?? 'unknown'}`, `Signer:  ${report.signer.fingerprint ?? 'unknown'} (${report.signer.trusted ? 'trusted' : 'NOT trusted here'})`];
    out.push(`Files:   ${report.filesChecked} match SHA256SUMS`);
    if (report.ok) out.push('RESULT:  VERIFIED — every file, the signature, the signer, the manifest and the custody extract check out.');
    else {
      out.push(`RESULT:  FAILED — ${report.failures.length} problem(s):`);
      for (const f of report.failures) out.push(`  [${f.code}] ${f.message}`);
    }
    if (!values.data) out.push('(Not logged: pass --data DIR to record this verification in that workstation’s audit ledger.)');
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return report.ok ? 0 : 1;
}

process.exitCode = await main();
