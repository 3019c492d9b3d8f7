// Asynchronous processing of /users/track, as Braze does it: the answer goes
// out at once ("queued to be processed") and the request is applied later.
// Each queued request waits a random delay of its own, so requests sent in
// one order can be applied in another: a client must not rely on the order
// (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/ says
// the counts are of objects "queued to be processed").
import { seededRandom } from "../faults";

export class ProcessingQueue {
  readonly #pending = new Set<NodeJS.Timeout>();
  readonly #random: () => number;
  #waiters: Array<() => void> = [];

  constructor(
    readonly maxDelayMs: number,
    seed: number,
    /** Where a failure of queued work is reported: nobody is waiting for its answer. */
    readonly onError: (error: unknown) => void,
  ) {
    this.#random = seededRandom(seed);
  }

  /** Runs `work` after a random delay from 0 to maxDelayMs. */
  enqueue(work: () => void): void {
    const delay = Math.floor(this.#random() * (this.maxDelayMs + 1));
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      try {
        work();
      } catch (error) {
        this.onError(error);
      }
      this.#settleIfIdle();
    }, delay);
    this.#pending.add(timer);
  }

  /** Requests queued and not yet applied. */
  get size(): number {
    return this.#pending.size;
  }

  /** Resolves once nothing is queued (at once when nothing is). */
  drained(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Forgets every queued request without applying it (a reset of the workspace, or the server closing). */
  clear(): void {
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
    this.#settleIfIdle();
  }

  #settleIfIdle(): void {
    if (this.#pending.size > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
