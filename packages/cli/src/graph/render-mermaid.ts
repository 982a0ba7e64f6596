import type { Machine } from '@flagstate/core';
import { type EdgeLabelOptions, edgeLabel, stateNote } from './edge-label.js';

export type RenderMermaidOptions = EdgeLabelOptions;

const PLAIN_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Words that Mermaid's state lexer takes as keywords wherever a line starts with them.
const KEYWORD = /^(?:default|note|state|class|classdef|scale|hide)/i;

/**
 * A Mermaid `stateDiagram-v2` of one machine: `[*]` into the initial state, final states into
 * `[*]`, edge labels from `edgeLabel`, and maxDwell as a note.
 */
export function renderMermaid(machine: Machine, options: RenderMermaidOptions = {}): string {
  const ids = new Map<string, string>();
  const lines = ['---', `title: ${machine.id} v${machine.version}`, '---', 'stateDiagram-v2'];
  machine.stateNames.forEach((name, i) => {
    // Names Mermaid cannot take as ids (a "-", a space, a keyword) are declared under an alias.
    const plain = PLAIN_ID.test(name) && !KEYWORD.test(name);
    const id = plain ? name : `s${i}`;
    ids.set(name, id);
    if (!plain) lines.push(`  state "${name.replaceAll('"', "'").replace(/[\r\n]+/g, ' ')}" as ${id}`);
  });
  const id = (state: string) => ids.get(state) ?? state;
  lines.push(`  [*] --> ${id(machine.initial)}`);
  for (const t of machine.transitions) {
    const label = text(edgeLabel(machine, t, options));
    lines.push(`  ${id(t.from)} --> ${id(t.to)}${label === '' ? '' : `: ${label}`}`);
  }
  for (const name of machine.stateNames) {
    if (machine.state(name)?.final) lines.push(`  ${id(name)} --> [*]`);
  }
  for (const name of machine.stateNames) {
    const note = stateNote(machine, name);
    if (note !== undefined) lines.push(`  note right of ${id(name)}: ${text(note)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Mermaid ends a label at ":", ";" or a newline, and has no escape for them there, so a
 * label's colon is written as the look-alike "∶" (U+2236) and a semicolon as a comma.
 */
function text(label: string): string {
  return label
    .replaceAll(':', '\u2236')
    .replaceAll(';', ',')
    .replace(/[\r\n]+/g, ' ');
}
