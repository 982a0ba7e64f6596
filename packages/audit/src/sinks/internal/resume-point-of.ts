import type { ResumePoint } from '../resume-point.js';

/**
 * The resume point a record's line gives, or why it gives none: only a chained record (with
 * its stream, sequence and hash) can be linked to.
 */
export function resumePointOf(
  line: string,
  tornBytes: number,
  file: string,
): { point: ResumePoint } | { problem: string } {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch (error) {
    return { problem: `its last line is not JSON (${(error as Error).message})` };
  }
  const rec = r as {
    event?: { sequence?: unknown; hash?: unknown; action?: unknown };
    audit?: { stream?: unknown; checkpoint?: { final?: unknown } };
  };
  const stream = rec?.audit?.stream;
  const sequence = rec?.event?.sequence;
  const hash = rec?.event?.hash;
  if (typeof stream !== 'string' || !Number.isInteger(sequence) || typeof hash !== 'string') {
    return {
      problem: 'its last line is not a chained audit record (audit.stream, event.sequence, event.hash)',
    };
  }
  const closed = rec.event?.action === 'audit-checkpoint' && rec.audit?.checkpoint?.final === true;
  return { point: { stream, sequence: sequence as number, hash, closed, tornBytes, file } };
}
