import { type Command, Option } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { renderDot } from '../graph/render-dot.js';
import { renderMermaid } from '../graph/render-mermaid.js';
import { loadMachines } from '../internal/load-machines.js';
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
    .argument('<file>', 'flag document: .yaml/.yml is read as YAML, anything else as JSON')
    .option('--machine <id>', 'draw only this machine')
    .addOption(
      new Option('--format <format>', 'diagram language').choices(['mermaid', 'dot']).default('mermaid'),
    )
    .action((file: string, options: GraphOptions) => done(graph(file, options, io)));
}

/** Prints one diagram per machine (or the one asked for), separated by a blank line. */
export function graph(file: string, options: GraphOptions, io: Io): ExitCode {
  const loaded = loadMachines(file, io);
  if (!loaded) return ExitCode.failed;
  const { machines } = loaded;
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
