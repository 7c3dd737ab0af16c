import type { RawItem } from '@tributary/registry';
import { IngestError } from './ingest-error';

/** One item of a request: its text as received, and its parsed value or why it did not parse. */
export type { RawItem };

/** Deeper JSON is refused before parsing: no event needs it, and it exhausts the call stack. */
export const MAX_JSON_DEPTH = 64;

const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl']);

/**
 * Splits a body into items. JSON: one object or an array of them (a syntax error refuses the whole
 * body: there is no way to tell where items begin). NDJSON: one event per line, and a bad line
 * refuses only itself — the format exists so that one bad event cannot spoil its neighbours.
 */
export function parseItems(
  body: Buffer,
  contentType: string | undefined,
  maxEvents: number,
): RawItem[] {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = decodeUtf8(body);
  let items: RawItem[];
  if (JSON_TYPES.has(mediaType)) items = parseJson(text);
  else if (NDJSON_TYPES.has(mediaType)) items = parseNdjson(text);
  else {
    throw new IngestError(
      'unsupported_media_type',
      `Content-Type '${mediaType || '(none)'}' is not supported; send application/json (one event or an array) or application/x-ndjson (one event per line)`,
    );
  }
  if (items.length === 0) throw new IngestError('no_events', 'the request holds no events');
  if (items.length > maxEvents) {
    throw new IngestError(
      'too_many_events',
      `the request holds ${items.length} events; at most ${maxEvents} are allowed per request`,
    );
  }
  return items;
}

/** Stateless between calls (never `stream: true`), so one decoder serves every request. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new IngestError('invalid_body', 'the body is not valid UTF-8');
  }
}

function parseJson(text: string): RawItem[] {
  // The body's own array adds one level around the events.
  if (nestingDepth(text) > MAX_JSON_DEPTH + 1) {
    throw new IngestError(
      'invalid_body',
      `the body nests JSON deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new IngestError(
      'invalid_body',
      `the body is not valid JSON: ${(error as Error).message}`,
    );
  }
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => ({ text: JSON.stringify(item) ?? 'null', value: item }));
}

function parseNdjson(text: string): RawItem[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      if (nestingDepth(line) > MAX_JSON_DEPTH) {
        return { text: line, parseError: `nested deeper than ${MAX_JSON_DEPTH} levels` };
      }
      try {
        return { text: line, value: JSON.parse(line) as unknown };
      } catch (error) {
        return { text: line, parseError: (error as Error).message };
      }
    });
}

/** Deepest nesting of arrays and objects in JSON text, skipping strings; one pass, no parsing. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return deepest;
}
