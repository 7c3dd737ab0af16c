import type { ItemError } from '@tributary/contracts';
import { type CsvError, parse } from 'csv-parse/sync';

/** A record of a file: its 1-based line and its columns, or why the line could not be read. */
export type FileRecord =
  | { line: number; text: string; values: Record<string, unknown> }
  | { line: number; text: string; errors: ItemError[] };

/**
 * CSV with a header row: values that look like numbers become numbers (the schema decides
 * whether that is right); a record that cannot be parsed (wrong number of fields, a broken
 * quote) is reported at its line and the rest of the file is read on.
 */
export function csvRecords(text: string, delimiter: string): FileRecord[] {
  const records: FileRecord[] = [];
  const skipped: FileRecord[] = [];
  const parsed = parse(text, {
    columns: true,
    cast: true,
    delimiter,
    skip_empty_lines: true,
    info: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      skipped.push({
        line: Number(error?.lines ?? 0),
        text: (raw ?? '').replace(/\r?\n$/, ''),
        errors: [
          {
            code: 'malformed_row',
            pointer: '',
            message: `CSV: ${error?.message ?? 'unreadable record'}`,
          },
        ],
      });
      return undefined;
    },
  }) as Array<{ record: Record<string, unknown>; info: { lines: number }; raw: string }>;
  for (const { record, info, raw } of parsed) {
    records.push({ line: info.lines, text: raw.replace(/\r?\n$/, ''), values: record });
  }
  return [...records, ...skipped].sort((a, b) => a.line - b.line);
}

/** JSON lines: each non-empty line one object; a line that is not JSON is reported at its number. */
export function jsonLineRecords(text: string): FileRecord[] {
  const records: FileRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        records.push({
          line: index + 1,
          text: line,
          errors: [
            { code: 'malformed_row', pointer: '', message: 'each line must be a JSON object' },
          ],
        });
      } else {
        records.push({ line: index + 1, text: line, values: value as Record<string, unknown> });
      }
    } catch (error) {
      records.push({
        line: index + 1,
        text: line,
        errors: [
          {
            code: 'invalid_json',
            pointer: '',
            message: `this line is not valid JSON: ${(error as Error).message}`,
          },
        ],
      });
    }
  });
  return records;
}
