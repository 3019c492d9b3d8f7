// Coalesces calls that arrive close together (the engine runs up to --parallel
// resource operations at once in one provider process) into one bulk request,
// and settles each caller with its own result, so one rejected object fails only
// the resource that sent it.

/**
 * How long a batch stays open after its latest item (ms). The engine dispatches
 * ready steps within a millisecond or two of each other, so a short quiet period
 * means no more are coming; it is small next to a Braze round trip.
 */
export const BATCH_QUIET_MS = 20;
/** A batch is sent at most this long after its first item (ms), however busy the stream. */
export const BATCH_MAX_WAIT_MS = 200;

export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/** Sends one batch; returns one outcome per item, in order. Throwing fails every item. */
export type BatchSender<I, R> = (items: readonly I[]) => Promise<ReadonlyArray<ItemOutcome<R>>>;

export interface MicroBatcherOptions<I, R> {
  /** Items per batch at most (Braze's per-request cap for the endpoint). */
  maxItems: number;
  send: BatchSender<I, R>;
  /** @default BATCH_QUIET_MS */
  quietMs?: number;
  /** @default BATCH_MAX_WAIT_MS */
  maxWaitMs?: number;
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
  #timer: NodeJS.Timeout | undefined;

  constructor(options: MicroBatcherOptions<I, R>) {
    if (!Number.isInteger(options.maxItems) || options.maxItems < 1) {
      throw new RangeError(`maxItems must be a positive integer, got ${options.maxItems}`);
    }
    this.#options = { quietMs: BATCH_QUIET_MS, maxWaitMs: BATCH_MAX_WAIT_MS, ...options };
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.#waiting.length === 0) this.#firstQueuedAt = Date.now();
      this.#waiting.push({ item, resolve, reject });
      if (this.#waiting.length >= this.#options.maxItems) {
        this.#flush();
        return;
      }
      clearTimeout(this.#timer);
      const untilDeadline = this.#firstQueuedAt + this.#options.maxWaitMs - Date.now();
      this.#timer = setTimeout(() => this.#flush(), Math.max(0, Math.min(this.#options.quietMs, untilDeadline)));
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#waiting.splice(0, this.#options.maxItems);
    if (this.#waiting.length > 0) this.#timer = setTimeout(() => this.#flush(), 0);
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
