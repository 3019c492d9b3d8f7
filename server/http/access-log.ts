// One line per API request on braze-local's log (stderr from the CLI), so a
// person watching a run sees each call as it is answered. It holds the method,
// the path, the status and the time taken, and nothing from the headers or the
// body: the API key and the users' data never reach the log.

/** What one line reports. `status` is null when no answer was sent (a dropped connection). */
export interface AccessLogEntry {
  method: string;
  path: string;
  status: number | null;
  durationMs: number;
}

/** `braze-local: POST /users/track 201 12 ms`; `dropped` in place of the status when no answer was sent. */
export function accessLogLine(entry: AccessLogEntry): string {
  return `braze-local: ${entry.method} ${entry.path} ${entry.status ?? "dropped"} ${Math.round(entry.durationMs)} ms`;
}

/** Matches exactly the lines accessLogLine writes: method, path, status or `dropped`, whole milliseconds. */
export const ACCESS_LOG_LINE = /^braze-local: (\S+) (\S+) (\d{3}|dropped) (\d+) ms$/;
