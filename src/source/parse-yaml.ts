/**
 * YAML text -> SourceFile plus diagnostics. YAML is read as YAML 1.2 (so `on`, `yes`, `no`
 * stay strings). Syntax errors, duplicate keys, tabs used for indentation, several documents,
 * anchors, aliases and merge keys become diagnostics with a position, never exceptions.
 */
import { LineCounter, isAlias, isCollection, isPair, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeForRule } from '../diagnostics/codes.js';
import { SourceFile, type Span } from './source-file.js';

export interface ParsedSource {
  file: SourceFile;
  diagnostics: Diagnostic[];
}

function diag(file: string, span: Span, rule: string, message: string): Diagnostic {
  const info = codeForRule(rule);
  return { file, ...span, severity: info.severity, code: info.code, rule, message };
}

/** Plain-words messages for the yaml package's error codes. */
function yamlMessage(code: string, raw: string): { rule: string; message: string } {
  const first = raw.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return { rule: 'yaml-duplicate-key', message: 'This key is already used above in the same map. Each key may appear only once: remove or rename one of them.' };
    case 'TAB_AS_INDENT':
      return { rule: 'yaml-tab-indent', message: 'A tab is used for indentation here. YAML only allows spaces: replace the tab with spaces (2 per level is usual).' };
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return { rule: 'yaml-syntax', message: `${first}. Check the indentation of this line and of the line above; a text containing ": " or starting with a special character needs quotes.` };
    default:
      return { rule: 'yaml-syntax', message: `${first}.` };
  }
}

export function parseSource(path: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const docs = parseAllDocuments(text, { version: '1.2', uniqueKeys: true, prettyErrors: false, lineCounter, merge: false, keepSourceTokens: false });
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const first = list[0];
  const file = new SourceFile(path, text, first, lineCounter);

  for (const [i, doc] of list.entries()) {
    if (i > 0) {
      const start = doc.range?.[0] ?? 0;
      diagnostics.push(diag(path, file.span(start, Math.min(start + 3, text.length)), 'yaml-multiple-documents',
        'This file holds a second YAML document (after "---"). A flow file holds exactly one: move the rest into its own file, or remove the "---" line.'));
      continue;
    }
    for (const err of doc.errors) {
      const { rule, message } = yamlMessage(err.code, err.message);
      diagnostics.push(diag(path, file.span(err.pos[0], Math.max(err.pos[1], err.pos[0] + 1)), rule, message));
    }
    visit(doc, {
      Pair(_key, pair) {
        if (isPair(pair) && isScalar(pair.key) && pair.key.value === '<<' && pair.key.range) {
          diagnostics.push(diag(path, file.span(pair.key.range[0], pair.key.range[1]), 'yaml-merge-key',
            'Merge keys ("<<") are not supported in flows: write the keys out in full, so every state reads on its own.'));
        }
      },
      Alias(_key, node) {
        if (isAlias(node) && node.range) {
          diagnostics.push(diag(path, file.span(node.range[0], node.range[1]), 'yaml-alias',
            `The alias "*${node.source}" is not supported in flows: copy the value here instead, so every state reads on its own.`));
        }
      },
      Node(_key, node) {
        if ((isScalar(node) || isCollection(node)) && node.anchor && node.range) {
          const at = text.lastIndexOf('&' + node.anchor, node.range[0]);
          const start = at >= 0 ? at : node.range[0];
          diagnostics.push(diag(path, file.span(start, start + node.anchor.length + 1), 'yaml-anchor',
            `The anchor "&${node.anchor}" is not supported in flows: remove it and write the value out wherever it is needed.`));
        }
      },
    });
  }
  if (list.length === 0 || (first && first.contents === null && first.errors.length === 0)) {
    diagnostics.push(diag(path, file.span(0, Math.min(1, text.length)), 'yaml-empty-file', 'This file is empty. A flow needs at least a "states:" map.'));
  }
  return { file, diagnostics };
}
