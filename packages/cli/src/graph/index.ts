// The diagram renderers, kept apart from the command so that the demo can draw live counts with them.
export type { EdgeLabelOptions, TransitionCounts } from './edge-label.js';
export { edgeLabel, stateNote } from './edge-label.js';
export type { RenderDotOptions } from './render-dot.js';
export { renderDot } from './render-dot.js';
export type { RenderMermaidOptions } from './render-mermaid.js';
export { renderMermaid } from './render-mermaid.js';
