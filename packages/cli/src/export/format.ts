/**
 * Turns rows into text for one output format, one row at a time, so an export streams with
 * constant memory and every row is written whole.
 *
 * CSV is written here rather than with csv-stringify: rows arrive one at a time from an
 * async iterator and the columns are fixed after the first row, which is a dozen lines of
 * RFC 4180 quoting; formula neutralisation keeps plain numbers as they are (csv-stringify's
 * escape_formulas would turn "-5" into "'-5"), so that negative amounts stay numbers.
 */
export type ExportFormat = 'ndjson' | 'csv' | 'json';

export interface RowWriterOptions {
  /** CSV columns; also the header of an export that finds no rows. */
  readonly select?: readonly string[] | undefined;
  /** CSV: prefix cells that a spreadsheet would run as a formula with `'` (default true). */
  readonly escapeFormulas?: boolean;
  /** CSV: start with a UTF-8 byte order mark, for spreadsheet programs that guess the encoding. */
  readonly bom?: boolean;
}

/**
 * CSV columns are the --select list, or the keys of the first row (fields a later row adds are
 * not shown: a streamed CSV cannot grow columns; ask for them with --select).
 */
export class RowWriter {
  private first = true;
  columns: string[] | undefined;
  private readonly escapeFormulas: boolean;

  constructor(
    readonly format: ExportFormat,
    private readonly options: RowWriterOptions = {},
  ) {
    const select = options.select;
    this.columns = select && !select.includes('*') ? [...select] : undefined;
    this.escapeFormulas = options.escapeFormulas ?? true;
  }

  start(): string {
    const bom = this.options.bom && this.format === 'csv' ? '\uFEFF' : '';
    return this.format === 'json' ? '[' : bom;
  }

  /** How the output ends. An empty CSV still gets its header when the columns are known. */
  end(): string {
    if (this.format === 'json') return this.first ? ']\n' : '\n]\n';
    if (this.format === 'csv' && this.first && this.columns) {
      this.first = false;
      return this.header();
    }
    return '';
  }

  /** True until the first row (or an empty CSV's header) was written. */
  get empty(): boolean {
    return this.first;
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
          header = this.header();
        }
        return `${header}${this.columns!.map((name) => this.cell(row[name])).join(',')}\n`;
      }
    }
  }

  private header(): string {
    return `${this.columns!.map((name) => this.cell(name)).join(',')}\n`;
  }

  private cell(value: unknown): string {
    return csvCell(value, this.escapeFormulas);
  }
}

/** A cell a spreadsheet would evaluate: starts with = + - @, or a tab or CR before one. */
const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * RFC 4180 cell: quoted when it holds a comma, quote or line break; objects as JSON. With
 * `escapeFormulas`, text that starts like a formula gets a leading `'` (OWASP's advice for CSV
 * injection), except plain numbers such as -5 or +7.5, which no spreadsheet runs.
 */
export function csvCell(value: unknown, escapeFormulas = true): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (escapeFormulas && typeof value !== 'number' && FORMULA.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
