/**
 * Formats a path into the desired state the way JavaScript would reach it:
 * `users[3].attributes.dob`, `subscription_groups["5e1f0a2c-newsletter"]`.
 * Used in error messages and in the property names a plan reports as changed.
 */
export function formatPropertyPath(segments: ReadonlyArray<string | number>): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
