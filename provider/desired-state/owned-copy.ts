// Keys for caches that outlive the reading of a file. A string read from a file
// is often a slice of the file's whole text (V8 shares the characters of a
// substring of 13 or more instead of copying them), so a cache that keeps such
// a string as a key keeps the whole text alive: a 100,000-user program held its
// 76 MB file for the rest of the run through two small caches of names.

/** `text` with characters of its own, sharing no other string's. */
export function ownedCopy(text: string): string {
  // UTF-16 both ways, so every string comes back exactly, lone surrogates too.
  return Buffer.from(text, "utf16le").toString("utf16le");
}
