/** One status line for long work: redrawn in place on a terminal, a line per second otherwise. */
export class ProgressLine {
  private lastPrint = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly total: number,
  ) {}

  update(done: number, detail: string, final = false): void {
    const now = Date.now();
    if (!final && !this.out.isTTY && now - this.lastPrint < 1_000) return;
    this.lastPrint = now;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const width = 24;
    const filled = Math.round(share * width);
    const elapsed = (now - this.startedAt) / 1000;
    const eta = share > 0 && share < 1 ? ` ETA ${Math.ceil((elapsed / share) * (1 - share))}s` : '';
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} ${detail}${eta}`;
    if (this.out.isTTY) this.out.write(`\r${line}\u001b[K${final ? '\n' : ''}`);
    else this.out.write(`${line}\n`);
  }
}
