/** One self-overwriting status line on a terminal: rows, rows/s and, when known, the ETA. */
export class Progress {
  total: number | undefined;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  update(rows: number): void {
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.draw(rows, now);
  }

  finish(rows: number): void {
    this.draw(rows, Date.now());
    this.out.write('\n');
  }

  private draw(rows: number, now: number): void {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = rows / seconds;
    let line = `${rows.toLocaleString('en-US')} rows, ${Math.round(rate).toLocaleString('en-US')} rows/s`;
    if (this.total !== undefined && this.total > 0) {
      const percent = Math.min(100, (rows / this.total) * 100);
      line += `, ${percent.toFixed(1)}% of ${this.total.toLocaleString('en-US')}`;
      if (rate > 0 && rows < this.total) line += `, ETA ${formatDuration((this.total - rows) / rate)}`;
    }
    this.out.write(`\r\x1b[2K${line}`);
  }
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
