/**
 * One self-overwriting status line on a terminal: rows, rows/s and, when the total is known,
 * the share done and the ETA.
 *
 * The clock starts when the reading starts (after the counting call, which on a large table
 * can take longer than a page), and no ETA is shown before a few seconds of reading: rows
 * arrive in bursts of up to 2,500 per request, so the first burst says nothing about the rate,
 * and an ETA taken from it read "87h01m". Until then the line says "ETA estimating".
 */
export const ETA_AFTER_MS = 3000;

export class Progress {
  total: number | undefined;
  private started: number;
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Call when the rows start coming (after any counting call). */
  start(): void {
    this.started = this.now();
  }

  update(rows: number): void {
    const now = this.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.draw(rows, now);
  }

  finish(rows: number): void {
    this.draw(rows, this.now());
    this.out.write('\n');
  }

  /** The text of the line (without the terminal codes); exported for tests. */
  line(rows: number, now: number): string {
    const elapsedMs = Math.max(now - this.started, 1);
    const rate = rows / (elapsedMs / 1000);
    let line = `${rows.toLocaleString('en-US')} rows, ${Math.round(rate).toLocaleString('en-US')} rows/s`;
    if (this.total !== undefined && this.total > 0) {
      const percent = Math.min(100, (rows / this.total) * 100);
      line += `, ${percent.toFixed(1)}% of ${this.total.toLocaleString('en-US')}`;
      if (rows < this.total)
        line +=
          elapsedMs < ETA_AFTER_MS || rate <= 0
            ? ', ETA estimating'
            : `, ETA ${formatDuration((this.total - rows) / rate)}`;
    }
    return line;
  }

  private draw(rows: number, now: number): void {
    this.out.write(`\r\x1b[2K${this.line(rows, now)}`);
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return h > 99 ? 'more than 99h' : `${h}h${String(m % 60).padStart(2, '0')}m`;
}
