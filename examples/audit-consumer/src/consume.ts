import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createAuditLog, fileSink } from '@flagstate/audit';
import { countByAction } from './count-by-action.js';
import { produce } from './produce.js';
import { startTail, type TailExit } from './tail-process.js';
import { withTimeout } from './with-timeout.js';

/** Where the producer writes, relative to the working directory. */
export const DEFAULT_FILE = './flagstate-demo/audit-consumer.ndjson';

export interface ConsumeOptions {
  /** The NDJSON file the producer writes and `flagstate tail` follows; emptied first. @default DEFAULT_FILE */
  readonly file?: string;
  /** The longest any single wait may take, in ms. @default 5000 */
  readonly timeoutMs?: number;
}

export interface ConsumeResult {
  readonly file: string;
  /** What `for await (const record of audit.stream())` counted, by `event.action`. */
  readonly counts: ReadonlyMap<string, number>;
  /** Records the in-process consumer saw, and lines in the file. */
  readonly seen: number;
  readonly fileLines: number;
  /** Warnings as `audit.subscribe` received them (illegal moves). */
  readonly alerts: readonly string[];
  /** What `flagstate tail --follow` printed, and how it ended. */
  readonly tailLines: readonly string[];
  readonly tailExit: TailExit;
  /** What the example prints. */
  readonly lines: string[];
}

/**
 * Produces a rollout into an NDJSON file and consumes it two ways at once: in process
 * (`audit.stream()` and `audit.subscribe`) and with `flagstate tail --follow` on the file,
 * which is given each wave's records before the next wave starts.
 */
export async function runAuditConsumer(options: ConsumeOptions = {}): Promise<ConsumeResult> {
  const file = resolve(options.file ?? DEFAULT_FILE);
  const timeoutMs = options.timeoutMs ?? 5000;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, ''); // a fresh file; `tail --follow` needs it to exist when it starts

  const audit = createAuditLog({ sinks: [fileSink(file)], service: 'checkout-api' });
  const counting = countByAction(audit.stream()); // listening from the first record on
  const alerts: string[] = [];
  audit.subscribe((record) => {
    if (record.log.level === 'warn') alerts.push(`${record.event.action}: ${record.message}`);
  });
  const tail = startTail(file);
  const waves: Array<{ say: string; lines: number }> = [];
  try {
    await produce(audit, {
      afterWave: async (wave) => {
        const written = audit.stats().sequence;
        await tail.until((lines) => lines.length >= written, timeoutMs, `${written} lines`);
        waves.push({ say: wave.say, lines: tail.lines.length });
      },
    });
    await withTimeout(audit.close(), timeoutMs, 'the audit log to close');
    const counts = await withTimeout(counting, timeoutMs, 'the in-process consumer');
    const fileLines = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    await tail.until((lines) => lines.length >= fileLines, timeoutMs, `all ${fileLines} lines`);
    waves.push({ say: 'audit.close(): the closing checkpoint', lines: tail.lines.length });
    const tailExit = await tail.stop(timeoutMs);

    const seen = [...counts.values()].reduce((a, b) => a + b, 0);
    const shown = relative(process.cwd(), file) || file;
    const lines = [
      `producer: StateTransitionHook + InMemoryProvider, appending to ${shown}`,
      '',
      'in process, for await (const record of audit.stream()):',
      ...[...counts].map(([action, n]) => `  ${action.padEnd(26)} ${String(n).padStart(3)}`),
      `  ${seen} records seen, ${fileLines} lines in the file${seen === fileLines ? ': nothing missed' : ''}`,
      'in process, audit.subscribe() warnings:',
      ...alerts.map((a) => `  ${a}`),
      '',
      `flagstate tail --follow ${shown} (stopped with SIGTERM: ${describeExit(tailExit)}):`,
    ];
    let from = 0;
    for (const wave of waves) {
      lines.push(`  -- ${wave.say}`, ...tail.lines.slice(from, wave.lines).map((l) => `  ${l}`));
      from = wave.lines;
    }
    return { file, counts, seen, fileLines, alerts, tailLines: [...tail.lines], tailExit, lines };
  } finally {
    tail.kill();
    await audit.close();
  }
}

function describeExit({ code, signal }: TailExit): string {
  return signal === null ? `exit ${code}` : `killed by ${signal}`;
}
