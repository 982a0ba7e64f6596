import type { Machine } from '@flagstate/core';
import { type EdgeLabelOptions, edgeLabel, stateNote } from './edge-label.js';

export type RenderDotOptions = EdgeLabelOptions;

// Pseudo-states, drawn as Graphviz draws UML start and end markers.
const START = '"[*] start"';
const END = '"[*] end"';

/**
 * A Graphviz `digraph` of one machine: a start point into the initial state, final states
 * into an end marker, edge labels from `edgeLabel`, and maxDwell under the state's name.
 */
export function renderDot(machine: Machine, options: RenderDotOptions = {}): string {
  const lines = [
    `digraph ${quote(`${machine.id} v${machine.version}`)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style=rounded];',
    `  ${START} [shape=point, width=0.15];`,
  ];
  const hasFinal = machine.stateNames.some((name) => machine.state(name)?.final);
  if (hasFinal)
    lines.push(`  ${END} [shape=doublecircle, label="", width=0.12, style=filled, fillcolor=black];`);
  for (const name of machine.stateNames) {
    const note = stateNote(machine, name);
    const attrs = [
      ...(note === undefined ? [] : [`label=${quote(`${name}\n${note}`)}`]),
      ...(machine.state(name)?.final ? ['peripheries=2'] : []),
    ];
    lines.push(`  ${quote(name)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push(`  ${START} -> ${quote(machine.initial)};`);
  for (const t of machine.transitions) {
    const label = edgeLabel(machine, t, options);
    lines.push(`  ${quote(t.from)} -> ${quote(t.to)}${label === '' ? '' : ` [label=${quote(label)}]`};`);
  }
  for (const name of machine.stateNames) {
    if (machine.state(name)?.final) lines.push(`  ${quote(name)} -> ${END};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT string literal; a newline becomes `\n`, which Graphviz centres as a line break. */
function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replace(/\r?\n/g, '\\n')}"`;
}
