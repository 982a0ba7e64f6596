import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AuditRecord, readAuditFiles, verifyAudit } from '@flagstate/audit';
import { afterAll, describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../src/demo.ts', import.meta.url));

/** tsx's command line script, found through its package's `bin`, as `pnpm start` runs it. */
function tsxCli(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> };
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin.tsx!);
}

/**
 * Runs the demo as a user would, in the shortened mode, as `pnpm demo` typed in `cwd` does
 * (pnpm sets INIT_CWD to where the command was typed).
 */
function runDemo(cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli(), demo], {
      cwd,
      env: {
        ...withoutOtlp(process.env),
        INIT_CWD: cwd,
        DEMO_DURATION_MS: '6000',
        DEMO_USERS: '100',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment without OpenTelemetry's exporter variables: the demo's default run. */
function withoutOtlp(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('OTEL_')));
}

describe('examples/checkout-rollout', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'flagstate-checkout-rollout-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('runs the rollout end to end and its audit verifies and replays', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await runDemo(cwd);
    expect(code, `${stdout}\n${stderr}`).toBe(0);

    // The summary: both verifications, and the replay against the service's own state.
    expect(stdout).toMatch(/^verify\s+ok \(verifyAudit\)/m);
    expect(stdout).toMatch(/^verify \(cli\)\s+flagstate verify \S+ -> exit 0: ok:/m);
    expect(stdout).toMatch(/^replay\s+vs \/statez: match/m);
    expect(stdout).toMatch(/^replay\s+vs storeSnapshot\(provider\.store\): match/m);
    expect(stdout).toMatch(/^result\s+OK/m);
    // Without OTEL_EXPORTER_OTLP_* nothing leaves the process; /metrics is there for Prometheus.
    expect(stdout).toContain(
      '  otlp        off (set OTEL_EXPORTER_OTLP_ENDPOINT to send logs, metrics and traces)',
    );
    expect(stdout).toMatch(
      /^ {2}service\s+http:\S+\s+\(GET \/checkout, \/statez, \/debug\/statemachine, \/metrics\)$/m,
    );
    expect(stdout).not.toMatch(/metrics: \/metrics/);

    // Transitions along the machine, a rollback, and bake-time holds.
    expect(stdout).toMatch(/^ {2}legacy -> canary\s+[1-9]\d*$/m);
    expect(stdout).toMatch(/^ {2}canary -> v2\s+[1-9]\d*$/m);
    expect(stdout).toMatch(/^ {2}rollback\s+[1-9]\d*$/m);
    expect(stdout).toMatch(/^ {2}state-transition-held\s+[1-9]\d*$/m);
    expect(stdout).toMatch(/^held\s+[1-9]\d* records/m);

    // The illegal edit: refused by `flagstate validate` and by the provider, and served through.
    expect(stdout).toMatch(
      /flagstate validate -> exit 1: machines\.checkout\.transitions\[3\]\.to: unknown state "v3"/,
    );
    expect(stdout).toMatch(/provider: PROVIDER_ERROR/);
    expect(stdout).toMatch(/^illegal edit\s+flagstate validate exit 1$/m);
    expect(stdout).toMatch(
      /meanwhile [1-9]\d* evaluations were served from revision (\w+) \(the last good one: \1\), 0 errors/,
    );

    // The restart mid-rollout: every held subject still held, one chain over both lifetimes.
    const restart =
      /^restart\s+at [\d.]+ s: (\d+) of (\d+) subjects rebuilt .*; (\d+) of (\d+) held subjects still held .*; 0 records changed$/m.exec(
        stdout,
      );
    expect(restart, stdout).not.toBeNull();
    expect(restart![1]).toBe(restart![2]);
    expect(Number(restart![4])).toBeGreaterThan(0);
    expect(restart![3]).toBe(restart![4]);
    expect(stdout).toMatch(/^lifetimes\s+2 audit streams, 2 closed; the chain verifies across them$/m);

    // The diagram carries the counts.
    expect(stdout).toMatch(/stateDiagram-v2/);
    expect(stdout).toMatch(/legacy --> canary: start-canary \([1-9]\d*\)/);

    // The audit file on disk verifies on its own and holds a real rollback record.
    const entries = readAuditFiles([join(cwd, 'flagstate-demo', 'audit.ndjson')]);
    const report = verifyAudit(entries);
    expect(report.ok, report.firstBad?.message).toBe(true);
    expect(report.streams.map((s) => s.closed)).toEqual([true, true]);
    const records = entries.map((e) => e.record as AuditRecord);
    // The second lifetime's stream names where the first one ended.
    const linked = records.find((r) => r.audit.previous !== undefined);
    expect(linked?.audit.previous?.stream).toBe(report.streams[0]?.stream);
    const rollback = records.find((r) => r.state_change?.transition === 'rollback');
    expect(rollback?.event.action).toBe('state-transition');
    expect(rollback?.trace?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(rollback?.labels).toMatchObject({ region: expect.any(String), plan: expect.any(String) });
  });
});
