import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditRecordJsonSchema, auditRecordSchema, parseAuditLines, verifyAudit } from '@flagstate/audit';
import { ecsProblems, STATES, tamperings } from '@flagstate/test-kit';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { seeded, startRun } from '../run.js';
import type { ContractSetup } from '../setup.js';

const CLI = fileURLToPath(new URL('../../../packages/cli/dist/cli.js', import.meta.url));

/** `flagstate verify` on a file, as a user runs it; the built CLI. */
function cliVerify(file: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'verify', file, ...args], { encoding: 'utf8' });
}

/**
 * Contract 5, audit log: every record validates against the shipped JSON Schema and ECS's
 * field types, the chain verifies, and each kind of tampering is found by `verifyAudit` and
 * makes `flagstate verify` exit 1.
 */
export function auditLogContract(setup: ContractSetup): void {
  describe(`contract 5, audit log: ${setup.name}`, () => {
    it('records validate, the chain verifies, and every tampering is detected, by the API and the CLI', async () => {
      const signer = generateKeyPairSync('ed25519');
      const run = await startRun(setup, {}, { signingKey: signer.privateKey, checkpointEvery: 10 });
      const random = seeded(5);
      for (let i = 0; i < 120; i++) {
        if (i % 20 === 0) {
          await run.retarget(
            new Map(
              Array.from({ length: 12 }, (_, k) => [`user-${k}`, STATES[Math.floor(random() * 3)]!] as const),
            ),
          );
        }
        await run.client.getStringValue('checkout', 'fallback', {
          targetingKey: `user-${i % 12}`,
          region: 'eu',
        });
      }
      await run.close();
      const lines = await run.lines();
      const records = lines.map((l) => JSON.parse(l));
      expect(records.length).toBeGreaterThan(30);

      // With formats, so that `@timestamp` and the other date-times are checked too.
      const validate = ajvFormats.default(new Ajv2020({ strict: true })).compile(auditRecordJsonSchema());
      for (const record of records) {
        expect(auditRecordSchema.safeParse(record).success).toBe(true);
        expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
        expect(ecsProblems(record)).toEqual([]);
      }

      const dir = mkdtempSync(join(tmpdir(), 'flagstate-contract-'));
      const file = join(dir, 'audit.ndjson');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const pem = (key: typeof signer.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();
      writeFileSync(join(dir, 'public.pem'), pem(signer.publicKey));
      writeFileSync(join(dir, 'other.pem'), pem(generateKeyPairSync('ed25519').publicKey));

      expect(verifyAudit(parseAuditLines(lines.join('\n'), file), { publicKey: signer.publicKey }).ok).toBe(
        true,
      );
      expect(cliVerify(file, '--public-key', join(dir, 'public.pem')).status).toBe(0);

      for (const [kind, tamper] of Object.entries(tamperings)) {
        const copy = tamper(lines);
        const tampered = join(dir, `${kind}.ndjson`);
        writeFileSync(tampered, `${copy.lines.join('\n')}\n`);
        const report = verifyAudit(parseAuditLines(copy.lines.join('\n'), tampered));
        expect(report.firstBad, kind).toMatchObject({ reason: copy.reason, line: copy.line });
        const cli = cliVerify(tampered);
        expect(cli.status, `${kind}: ${cli.stdout}${cli.stderr}`).toBe(1);
        expect(cli.stdout + cli.stderr).toContain(copy.reason);
      }
      const forged = cliVerify(file, '--public-key', join(dir, 'other.pem'));
      expect(forged.status).toBe(1);
      expect(forged.stdout + forged.stderr).toContain('bad_signature');
    }, 60_000);
  });
}
