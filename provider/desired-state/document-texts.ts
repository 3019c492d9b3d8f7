// The users of a desired-state document as the texts a BrazeUserSet's inputs
// carry, for a file read in parts (file-texts.ts): each part yields its users'
// texts, and the parts join into the file's texts only if no key or alias is
// used twice across them. Pure: a worker thread runs it on its part.
import { identityKey } from "../model/managed-user";
import { memberKey, memberTexts, membersOfDesiredState } from "./member-texts";
import { readVouched } from "./load";
import type { WorkspaceLimits } from "./string-array-findings";

/** The users of one part, in the file's order. */
export interface DocumentTexts {
  keys: string[];
  texts: string[];
  /** Each user's identityKey: a user in two parts is read again whole, so the file's own uniqueness rules report it. */
  aliases: string[];
}

/**
 * The texts of a document the fast reading vouches for and finds nothing wrong
 * with (within the workspace's `limits`), as the set named `setName` computes them; undefined otherwise (the
 * file is then read whole, which places every problem).
 */
export function textsOfDocument(document: string, setName: string, limits: WorkspaceLimits = {}): DocumentTexts | undefined {
  const state = readVouched(document, limits);
  if (!state) return undefined;
  const members = membersOfDesiredState(state);
  let texts: Record<string, string>;
  try {
    texts = memberTexts(setName, members);
  } catch {
    return undefined;
  }
  // In the file's order (an object's own keys put integer-like ones first).
  const keys = members.map(memberKey);
  return { keys, texts: keys.map((key) => texts[key]), aliases: state.users.map(({ user }) => identityKey(user)) };
}

/** The file's texts by key, from its parts in order; undefined when a part was not read or a key or alias is in two parts. */
export function joinDocumentTexts(parts: ReadonlyArray<DocumentTexts | undefined>): Record<string, string> | undefined {
  const texts: Record<string, string> = {};
  const aliases = new Set<string>();
  for (const part of parts) {
    if (!part) return undefined;
    for (let index = 0; index < part.keys.length; index++) {
      const key = part.keys[index];
      if (Object.hasOwn(texts, key) || aliases.has(part.aliases[index])) return undefined;
      texts[key] = part.texts[index];
      aliases.add(part.aliases[index]);
    }
  }
  return texts;
}
