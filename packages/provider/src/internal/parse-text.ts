import type { DefinitionIssue } from '@flagstate/core';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/**
 * Parses a JSON or YAML document; JSON is tried when the text looks like JSON, so that its
 * errors read as JSON errors. Returns the value or the problem with its line and column.
 */
export function parseText(text: string): { value: unknown } | { issue: DefinitionIssue } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      // YAML's flow style also starts with "{": report JSON's error only if YAML fails too.
      const yaml = parseYamlText(text);
      return 'value' in yaml
        ? yaml
        : { issue: { path: '(document)', message: `not valid JSON: ${(error as Error).message}` } };
    }
  }
  return parseYamlText(text);
}

function parseYamlText(text: string): { value: unknown } | { issue: DefinitionIssue } {
  try {
    return { value: parseYaml(text) };
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at ? ` at line ${at.line}, column ${at.col}` : '';
      return {
        issue: { path: '(document)', message: `not valid YAML${where}: ${error.message.split('\n')[0]}` },
      };
    }
    return { issue: { path: '(document)', message: `not valid YAML: ${String(error)}` } };
  }
}
