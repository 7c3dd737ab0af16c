/** Rows as aligned columns (two spaces apart) under an upper-case header; for people, not parsers. */
export function formatTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const all = [header.map((h) => h.toUpperCase()), ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatTime(date: Date | null): string {
  return date ? date.toISOString() : '-';
}
