export type ExportFormat = 'ndjson' | 'csv' | 'json';

/**
 * Turns rows into text for one output format, one row at a time. CSV columns are the
 * --select list, or the keys of the first row (fields a later row adds are not shown:
 * a streamed CSV cannot grow columns; ask for them with --select).
 */
export class RowWriter {
  private first = true;
  columns: string[] | undefined;

  constructor(
    readonly format: ExportFormat,
    select?: string[],
  ) {
    this.columns = select && !select.includes('*') ? [...select] : undefined;
  }

  start(): string {
    return this.format === 'json' ? '[' : '';
  }

  end(): string {
    if (this.format === 'json') return this.first ? ']\n' : '\n]\n';
    return '';
  }

  row(row: Record<string, unknown>): string {
    const wasFirst = this.first;
    this.first = false;
    switch (this.format) {
      case 'ndjson':
        return `${JSON.stringify(row)}\n`;
      case 'json':
        return `${wasFirst ? '\n' : ',\n'}${JSON.stringify(row)}`;
      case 'csv': {
        let header = '';
        if (wasFirst) {
          this.columns ??= Object.keys(row);
          header = `${this.columns.map(csvCell).join(',')}\n`;
        }
        return `${header}${this.columns!.map((name) => csvCell(row[name])).join(',')}\n`;
      }
    }
  }
}

export function formatRow(writer: RowWriter, row: Record<string, unknown>): string {
  return writer.row(row);
}

/** RFC 4180 cell: quoted when it holds a comma, quote or line break; objects as JSON. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
