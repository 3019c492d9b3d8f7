// A clock that moves only when the test says so, for code that takes a
// BatchClock: timers fire in due order (ties in the order they were set), and
// the promise callbacks they start settle before the next one fires, so a test
// reads "at 150 ms the batch closed" without sleeping or depending on the load
// of the machine.
import type { BatchClock } from "../../provider/batching/micro-batcher";

interface Timer {
  id: number;
  dueAt: number;
  callback: () => void;
}

export class ManualClock implements BatchClock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];

  constructor(startAt = 0) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const timer = { id: this.#nextId++, dueAt: this.#now + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers still waiting, as due times: lets a test see what the code has scheduled. */
  get pendingDueTimes(): number[] {
    return this.#timers.map((timer) => timer.dueAt).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, at its due time. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = due.dueAt;
      due.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}

/** Lets every promise callback queued so far run (a macrotask turn drains the microtask queue). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
