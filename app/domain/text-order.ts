// The order lists of names and codes are shown in, the same on every database.
//
// SQLite orders text by its bytes ("Zebra" before "apple", "T-2" before "T1"); PostgreSQL orders
// it by the database's collation, which on a managed server is usually a language's (en_US:
// case and punctuation ignored at first, so "apple" before "Zebra" and "T1" before "T-2"). So
// lists shown to people are put in order here, by code point, which is SQLite's order, rather
// than by ORDER BY on a text column.

/** Compares two strings by Unicode code point (UTF-8 byte order, as SQLite's BINARY collation). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++; // the second half of a surrogate pair
  }
  return a.length - b.length;
}

/** The rows in order of the text `key` gives (a copy; rows with equal text keep their order). */
export function inTextOrder<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return [...rows].sort((a, b) => compareText(key(a), key(b)));
}
