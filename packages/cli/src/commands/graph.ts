import { type Command, Option } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { renderDot } from '../graph/render-dot.js';
import { renderMermaid } from '../graph/render-mermaid.js';
import { loadFlagDocument } from '../internal/load-flag-document.js';
import type { Io } from '../io.js';
import { UsageError } from '../usage-error.js';

export interface GraphOptions {
  readonly machine?: string;
  readonly format: 'mermaid' | 'dot';
}

export function registerGraph(program: Command, { io, done }: CommandContext): void {
  program
    .command('graph')
    .description('draw the machines of a flag document as a Mermaid or Graphviz state diagram')
    .argument('<file>', 'flag document, JSON or YAML')
    .option('--machine <id>', 'draw only this machine')
    .addOption(
      new Option('--format <format>', 'diagram language').choices(['mermaid', 'dot']).default('mermaid'),
    )
    .action(async (file: string, options: GraphOptions) => done(await graph(file, options, io)));
}

/** Prints one diagram per machine (or the one asked for), separated by a blank line. */
export async function graph(file: string, options: GraphOptions, io: Io): Promise<ExitCode> {
  const doc = await loadFlagDocument(file, io);
  if (!doc) return ExitCode.failed;
  const { machines } = doc;
  let selected = [...machines];
  if (options.machine !== undefined) {
    const machine = machines.get(options.machine);
    if (!machine) {
      const ids = [...machines.ids()].join(', ') || 'none';
      throw new UsageError(`${file}: no machine "${options.machine}" (machines: ${ids})`);
    }
    selected = [machine];
  }
  if (selected.length === 0) io.err(`${file}: no machines to draw`);
  const render = options.format === 'dot' ? renderDot : renderMermaid;
  io.writeOut(selected.map((machine) => render(machine)).join('\n'));
  return ExitCode.ok;
}
