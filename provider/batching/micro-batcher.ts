// Coalesces calls that arrive close together (the engine runs up to --parallel
// resource operations at once in one provider process) into one bulk request,
// and settles each caller with its own result, so one rejected object fails only
// the resource that sent it.

/**
 * A batch stays open until no item has arrived for a quiet period, which adapts
 * to the pace items arrive at: QUIET_GAPS times the typical gap between them,
 * within these bounds (ms). The engine hands resources over at the pace of its
 * own work (on a file backend, one checkpoint write per step: a quarter second
 * each at 1,000 resources), so a fixed short window would close batches nearly
 * empty; a short gap (a burst, or one changed resource) still closes within 20 ms.
 */
export const BATCH_QUIET_MIN_MS = 20;
export const BATCH_QUIET_MAX_MS = 1_000;
export const QUIET_GAPS = 3;
/**
 * A batch is sent at most this long after its first item (ms), however busy the
 * stream. The engine keeps starting other steps meanwhile (up to --parallel), so
 * waiting costs little wall time while it fills batches at the engine's pace. Not
 * longer: every item waiting here is a pending operation the engine writes into
 * each checkpoint, and at 15 s a 1,000-user create sent 30 requests instead of 48
 * but ran no faster (README, Performance).
 */
export const BATCH_MAX_WAIT_MS = 5_000;
/**
 * The pace assumed (ms) until arrivals show the real one. The engine's first steps
 * wait on checkpoint writes whose time depends on the disk, so a first batch that
 * closed after BATCH_QUIET_MIN_MS would split even a three-user file on a slow or
 * busy machine; this costs a lone change QUIET_GAPS times it in latency.
 */
export const INITIAL_PACE_MS = 50;
/** A gap longer than this (ms) is a pause between phases of a run, not its pace. */
const PACE_GAP_LIMIT_MS = 2_000;
/** Weight of the newest gap in the running estimate of the pace. */
const PACE_SMOOTHING = 0.25;

export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/** Sends one batch; returns one outcome per item, in order. Throwing fails every item. */
export type BatchSender<I, R> = (items: readonly I[]) => Promise<ReadonlyArray<ItemOutcome<R>>>;

/**
 * Time as the batcher sees it. Tests pass a manual clock so that quiet periods,
 * the learned pace and the maximum wait are checked to the millisecond without
 * sleeping.
 */
export interface BatchClock {
  /** Milliseconds on any monotonic-enough scale (Date.now in production). */
  now(): number;
  /** Calls `callback` once after `ms`; returns a handle for clearTimer. */
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The real clock: Date.now and Node's timers. */
export const SYSTEM_CLOCK: BatchClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface MicroBatcherOptions<I, R> {
  /** Items per batch at most (Braze's per-request cap for the endpoint). */
  maxItems: number;
  send: BatchSender<I, R>;
  /** @default BATCH_QUIET_MIN_MS */
  minQuietMs?: number;
  /** @default BATCH_QUIET_MAX_MS */
  maxQuietMs?: number;
  /** @default BATCH_MAX_WAIT_MS */
  maxWaitMs?: number;
  /** @default SYSTEM_CLOCK */
  clock?: BatchClock;
}

interface Waiting<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: Error): void;
}

export class MicroBatcher<I, R> {
  readonly #options: Required<MicroBatcherOptions<I, R>>;
  #waiting: Array<Waiting<I, R>> = [];
  #firstQueuedAt = 0;
  #lastArrivalAt: number | undefined;
  /** Running estimate of the gap between arrivals (ms). */
  #pace = INITIAL_PACE_MS;
  #timer: unknown;

  constructor(options: MicroBatcherOptions<I, R>) {
    if (!Number.isInteger(options.maxItems) || options.maxItems < 1) {
      throw new RangeError(`maxItems must be a positive integer, got ${options.maxItems}`);
    }
    this.#options = { minQuietMs: BATCH_QUIET_MIN_MS, maxQuietMs: BATCH_QUIET_MAX_MS, maxWaitMs: BATCH_MAX_WAIT_MS, clock: SYSTEM_CLOCK, ...options };
  }

  /** How long the open batch waits for another item, from the pace seen so far. */
  get quietMs(): number {
    const { minQuietMs, maxQuietMs } = this.#options;
    return Math.round(Math.min(maxQuietMs, Math.max(minQuietMs, QUIET_GAPS * this.#pace)));
  }

  #noteArrival(now: number): void {
    if (this.#lastArrivalAt !== undefined) {
      const gap = now - this.#lastArrivalAt;
      if (gap <= PACE_GAP_LIMIT_MS) this.#pace += PACE_SMOOTHING * (gap - this.#pace);
    }
    this.#lastArrivalAt = now;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const now = this.#options.clock.now();
      this.#noteArrival(now);
      if (this.#waiting.length === 0) this.#firstQueuedAt = now;
      this.#waiting.push({ item, resolve, reject });
      if (this.#waiting.length >= this.#options.maxItems) {
        this.#flush();
        return;
      }
      this.#clearTimer();
      const untilDeadline = this.#firstQueuedAt + this.#options.maxWaitMs - now;
      this.#timer = this.#options.clock.setTimer(() => this.#flush(), Math.max(0, Math.min(this.quietMs, untilDeadline)));
    });
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    this.#clearTimer();
    const batch = this.#waiting.splice(0, this.#options.maxItems);
    if (this.#waiting.length > 0) this.#timer = this.#options.clock.setTimer(() => this.#flush(), 0);
    if (batch.length === 0) return;
    void this.#sendBatch(batch);
  }

  async #sendBatch(batch: Array<Waiting<I, R>>): Promise<void> {
    let outcomes: ReadonlyArray<ItemOutcome<R>>;
    try {
      outcomes = await this.#options.send(batch.map((waiting) => waiting.item));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const waiting of batch) waiting.reject(failure);
      return;
    }
    batch.forEach((waiting, index) => {
      const outcome = outcomes[index];
      if (!outcome) waiting.reject(new Error(`batch sender returned ${outcomes.length} outcomes for ${batch.length} items`));
      else if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}
