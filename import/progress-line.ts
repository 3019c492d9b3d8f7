// The progress line on stderr: users read, the total, and the time left,
// redrawn in place. Drawn only on a terminal: a log file or a pipe gets nothing.

/** "read 150/1,000 users, about 3 min 24 s left". Pure: the time left is estimated from this run's own pace. */
export function progressText(read: number, total: number, elapsedMs: number, readThisRun: number): string {
  const left = total - read;
  const estimate = readThisRun > 0 && left > 0 ? `, about ${duration((elapsedMs / readThisRun) * left)} left` : left === 0 ? ", done" : "";
  return `braze-profiles import: read ${read.toLocaleString("en-US")}/${total.toLocaleString("en-US")} users${estimate}`;
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Draws progressText over the previous line (carriage return, erase line); does nothing when `tty` is false. */
export function progressDrawer(write: (text: string) => void, tty: boolean, now: () => number = Date.now) {
  const started = now();
  let drawn = false;
  return {
    draw(read: number, total: number, readThisRun: number): void {
      if (!tty) return;
      write(`\r\x1b[K${progressText(read, total, now() - started, readThisRun)}`);
      drawn = true;
    },
    /** Ends the line, so what follows starts on its own. */
    finish(): void {
      if (drawn) write("\n");
      drawn = false;
    },
  };
}
