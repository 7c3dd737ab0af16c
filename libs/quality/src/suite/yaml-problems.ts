import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';

/** One thing wrong with a YAML document, where it is (1-based line and column) and why. */
export interface YamlProblem {
  readonly line: number;
  readonly column: number;
  /** JSON pointer into the document, e.g. `/expectations/2/column`; empty for the whole file. */
  readonly path: string;
  readonly reason: string;
}

/**
 * The message of a refused YAML file: a headline, then one `file:line:column: [key: ]reason` line
 * per problem (the key when `withPath`).
 */
export function yamlRefusal(
  what: string,
  file: string,
  problems: readonly YamlProblem[],
  withPath = false,
): string {
  return [
    `Invalid ${what} ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
    ...problems.map(
      (p) =>
        `  ${file}:${p.line}:${p.column}: ${withPath ? `${p.path || '(document)'}: ` : ''}${p.reason}`,
    ),
  ].join('\n');
}

/** The `*.yaml` / `*.yml` files of a folder, as paths, sorted by file name. */
export function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Where a JSON pointer (or the key `key` inside it) starts in the document, with the reason. */
export type Locate = (path: string, reason: string, key?: string) => YamlProblem;

/**
 * Parses YAML keeping positions, so every later problem can be reported at its line: the
 * document as plain data and `locate`, or the syntax problems (duplicate keys included).
 */
export function readYaml(
  text: string,
): { data: unknown; locate: Locate } | { problems: YamlProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: string, reason: string): YamlProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, path, reason };
  };
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => at(e.pos[0], '', `YAML: ${e.message.split('\n')[0]}`)),
    };
  }
  return {
    data: doc.toJS() as unknown,
    locate: (path, reason, key) => at(offsetOf(doc, path, key), path, reason),
  };
}

/** Turns ajv's errors into one readable reason each, without the noise of combinator branches. */
export function schemaProblems(
  errors: readonly ErrorObject[],
  prefix: string,
  locate: Locate,
  patternNames: Readonly<Record<string, string>> = {},
): YamlProblem[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors
    .filter(
      (e) =>
        !combinators.some(
          (c) =>
            c !== e && e.instancePath === c.instancePath && e.schemaPath.startsWith(c.schemaPath),
        ),
    )
    .map((e) => {
      const path = `${prefix}${e.instancePath}`;
      const field = path.split('/').pop() || 'document';
      switch (e.keyword) {
        case 'additionalProperties': {
          const key = String(e.params.additionalProperty);
          return locate(path, `unknown key '${key}'`, key);
        }
        case 'required':
          return locate(path, `missing required key '${String(e.params.missingProperty)}'`);
        case 'enum':
          return locate(
            path,
            `${field} must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`,
          );
        case 'pattern':
          return locate(
            path,
            `${field} '${String(e.data)}' is not ${patternNames[String(e.params.pattern)] ?? `like ${String(e.params.pattern)}`}`,
          );
        case 'anyOf':
          return locate(path, `needs one of: ${requiredKeys(e.schema).join(', ')}`);
        case 'oneOf':
          return locate(path, `needs exactly one of: ${requiredKeys(e.schema).join(', ')}`);
        case 'dependentRequired':
          return locate(
            path,
            `${String(e.params.property)} needs ${String(e.params.missingProperty)}`,
          );
        default:
          return locate(path, `${field} ${e.message ?? 'is invalid'}`);
      }
    });
}

function requiredKeys(schema: unknown): string[] {
  return Array.isArray(schema)
    ? schema.flatMap((s) =>
        isRecord(s) && Array.isArray(s.required) ? (s.required as string[]) : [],
      )
    : [];
}

/** Start offset of the node at a JSON pointer (of the key `key` inside it, when given). */
function offsetOf(doc: Document, pointer: string, key?: string): number {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let depth = segments.length; depth >= 0; depth -= 1) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
    if (!isNode(node)) continue;
    if (key !== undefined && depth === segments.length && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
