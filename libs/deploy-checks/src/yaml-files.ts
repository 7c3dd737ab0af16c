import { parseAllDocuments, parseDocument } from 'yaml';
import { readRepoFile } from './repo';

/**
 * Parses YAML as Compose, Kubernetes and Prometheus do: YAML 1.1 merge keys (`<<: *anchor`)
 * resolved, and any syntax error or duplicate key reported with the file name.
 */
export function parseYaml(text: string, name: string): unknown {
  const doc = parseDocument(text, { merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new Error(`${name}: ${doc.errors.map((error) => error.message).join('; ')}`);
  }
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}

export function loadYaml(relativePath: string): unknown {
  return parseYaml(readRepoFile(relativePath), relativePath);
}

/** Every document of a multi-document file (`---`), empty documents dropped. */
export function loadYamlDocuments(relativePath: string): unknown[] {
  const docs = parseAllDocuments(readRepoFile(relativePath), { merge: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.flatMap((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${relativePath}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    const value = doc.toJS() as unknown;
    return value === null || value === undefined ? [] : [value];
  });
}

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or an empty one: for walking optional parts of parsed files. */
export function record(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
