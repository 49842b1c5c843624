// Myers' O(ND) difference algorithm over integer token ids. Returns the edit script as runs of
// equal, deleted and inserted tokens, or null when it would exceed its time or size budget.

export type Run = { op: "equal" | "delete" | "insert"; count: number };

/** Edit distances above this would keep too many rows of the search (about 2·D² bytes). */
export const MAX_EDIT_DISTANCE = 4000;

export function myersDiff(a: ArrayLike<number>, b: ArrayLike<number>, deadline: number, now: () => number): Run[] | null {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const runs: Run[] = [];
  pushRun(runs, "equal", start);
  const middle = middleRuns(a, b, start, endA, start, endB, deadline, now);
  if (!middle) return null;
  for (const run of middle) pushRun(runs, run.op, run.count);
  pushRun(runs, "equal", a.length - endA);
  return runs;
}

/** Appends a run, joined to the last one when they are the same operation. */
function pushRun(runs: Run[], op: Run["op"], count: number): void {
  if (count <= 0) return;
  const last = runs[runs.length - 1];
  if (last && last.op === op) last.count += count;
  else runs.push({ op, count });
}

/**
 * The rows of the search, one after another in one array: row d holds the furthest x reached on
 * each diagonal k = -d, -d+2, …, d (d+1 entries, from index d(d+1)/2). Only the diagonals of d's
 * parity are ever read at step d and in the walk back, so this is all the search keeps. Small
 * searches reuse one buffer; it is scratch space, filled before it is read on every call.
 */
let scratch = new Int32Array(1 << 12);
const SCRATCH_LIMIT = 1 << 16;

function middleRuns(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  deadline: number,
  now: () => number,
): Run[] | null {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0) return [{ op: "insert", count: m }];
  if (m === 0) return [{ op: "delete", count: n }];
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  let rows = scratch;
  for (let d = 0; d <= max; d++) {
    if ((d & 15) === 0 && d > 0 && now() > deadline) return null;
    const base = (d * (d + 1)) >> 1;
    if (base + d + 1 > rows.length) {
      const grown = new Int32Array(Math.max(rows.length * 2, base + d + 1));
      grown.set(rows.subarray(0, base));
      rows = grown;
      if (grown.length <= SCRATCH_LIMIT) scratch = grown;
    }
    const previous = base - d;
    for (let j = 0; j <= d; j++) {
      // Diagonal k = 2j - d: from row d-1, down from k+1 (index j) or right from k-1 (index j-1).
      let x = d === 0 ? 0 : j === 0 || (j !== d && rows[previous + j - 1]! < rows[previous + j]!) ? rows[previous + j]! : rows[previous + j - 1]! + 1;
      let y = x - (2 * j - d);
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++;
        y++;
      }
      rows[base + j] = x;
      if (x >= n && y >= m) return backtrack(rows, d, n, m);
    }
  }
  return null;
}

/** Walks the saved rows back from (n, m) at step `last` to (0, 0), collecting runs in forward order. */
function backtrack(rows: Int32Array, last: number, n: number, m: number): Run[] {
  const reversed: Run[] = [];
  let x = n;
  let y = m;
  for (let d = last; d > 0; d--) {
    const previous = ((d - 1) * d) >> 1;
    const k = x - y;
    const j = (k + d) >> 1;
    const down = j === 0 || (j !== d && rows[previous + j - 1]! < rows[previous + j]!);
    const prevX = down ? rows[previous + j]! : rows[previous + j - 1]!;
    const prevK = down ? k + 1 : k - 1;
    const snake = x - (down ? prevX : prevX + 1);
    pushRun(reversed, "equal", snake);
    pushRun(reversed, down ? "insert" : "delete", 1);
    x = prevX;
    y = prevX - prevK;
  }
  pushRun(reversed, "equal", x);
  return reversed.reverse();
}
