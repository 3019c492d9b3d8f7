import { test } from "uvu";
import * as assert from "uvu/assert";
import { agreed, formatSpread, median, spreadOf } from "../../bench/repeats";

test("the median of an odd count is the middle value, of an even count the mean of the two middle ones", () => {
  assert.is(median([9, 1, 5]), 5);
  assert.is(median([4, 1, 3, 2]), 2.5);
});

test("a spread prints as median (min–max), and a single run as the bare value", () => {
  const oneDecimal = (value: number) => value.toFixed(1);
  assert.is(formatSpread(spreadOf([12.4, 11.2, 11.7]), oneDecimal), "11.7 (11.2–12.4)");
  assert.is(formatSpread(spreadOf([3]), oneDecimal), "3.0");
  assert.throws(() => spreadOf([]), /at least one run/);
});

test("counts that must not vary show one value when every run agrees, and every distinct value when not", () => {
  assert.is(agreed([14, 14, 14]), 14);
  assert.is(agreed([14, 15, 14]), "14 / 15");
});

test.run();
