// Injected faults for testing clients: answer a request with a 429, a 5xx, or
// drop the connection, with given probabilities from a seeded generator so a
// run can be repeated. Pure apart from the generator's own state.
import { OptionError } from "./errors/option-error";

export interface FaultOptions {
  /** Probability (0–1) of answering with a 429. @default 0 */
  rate429?: number;
  /** Probability (0–1) of answering with a 502, 503 or 504. @default 0 */
  rate5xx?: number;
  /** Probability (0–1) of dropping the connection without an answer. @default 0 */
  rateReset?: number;
  /** Seed of the generator; the same seed gives the same faults for the same sequence of requests. @default 1 */
  seed?: number;
  /**
   * Custom attributes whose every value /users/track refuses, as Braze refuses
   * an invalid value: a nested value (object or array of objects) as an invalid
   * nested attribute, which drops every nested update of the request; any other
   * value refuses its attributes object. Lets a test make Braze reject an object
   * that the provider's validation accepts. @default none
   */
  rejectAttributes?: readonly string[];
}

/**
 * A dropped connection comes before or after the request was applied, half the
 * time each: over a real network a client cannot tell which, so only a client
 * whose retries are safe to apply twice survives it.
 */
export type Fault =
  | { kind: "none" }
  | { kind: "429"; retryAfterSeconds: number }
  | { kind: "5xx"; status: 502 | 503 | 504 }
  | { kind: "reset"; afterApplying: boolean };

/** mulberry32: small, fast, good enough for fault dice. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  readonly #random: () => number;

  constructor(readonly options: FaultOptions) {
    for (const [name, value] of Object.entries({ rate429: options.rate429, rate5xx: options.rate5xx, rateReset: options.rateReset })) {
      if (value !== undefined && !(value >= 0 && value <= 1)) throw new OptionError(name, `is a fault probability and must be between 0 and 1, got ${value}`);
    }
    this.#random = seededRandom(options.seed ?? 1);
  }

  get active(): boolean {
    return (this.options.rate429 ?? 0) + (this.options.rate5xx ?? 0) + (this.options.rateReset ?? 0) > 0;
  }

  /** One roll per request: at most one fault, checked in the order reset, 5xx, 429. */
  next(): Fault {
    if (!this.active) return { kind: "none" };
    const roll = this.#random();
    const reset = this.options.rateReset ?? 0;
    const server = reset + (this.options.rate5xx ?? 0);
    const limited = server + (this.options.rate429 ?? 0);
    if (roll < reset) return { kind: "reset", afterApplying: this.#random() < 0.5 };
    if (roll < server) return { kind: "5xx", status: ([502, 503, 504] as const)[Math.floor(this.#random() * 3)] };
    if (roll < limited) return { kind: "429", retryAfterSeconds: 1 };
    return { kind: "none" };
  }
}

/** A latency: fixed (`MS`) or uniformly drawn from a range (`MIN-MAX`), in milliseconds. */
export interface Latency {
  minMs: number;
  maxMs: number;
}

export function parseLatency(text: string): Latency {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) throw new OptionError("--latency", `"${text}" must be MS or MIN-MAX (milliseconds)`);
  const minMs = Number(match[1]);
  const maxMs = match[2] === undefined ? minMs : Number(match[2]);
  if (maxMs < minMs) throw new OptionError("--latency", `"${text}": MAX must not be below MIN`);
  return { minMs, maxMs };
}
