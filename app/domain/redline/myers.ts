// Myers' O(ND) difference algorithm over integer token ids. Returns the edit script as runs of
// equal, deleted and inserted tokens, or null when it would exceed its time or size budget.

export type Run = { op: "equal" | "delete" | "insert"; count: number };

/** Edit distances above this would keep too many rows of the search (about 4·D² bytes). */
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
  const push = (op: Run["op"], count: number) => {
    if (count <= 0) return;
    const last = runs[runs.length - 1];
    if (last && last.op === op) last.count += count;
    else runs.push({ op, count });
  };
  push("equal", start);
  const middle = middleRuns(a, b, start, endA, start, endB, deadline, now);
  if (!middle) return null;
  for (const run of middle) push(run.op, run.count);
  push("equal", a.length - endA);
  return runs;
}

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
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    if ((d & 15) === 0 && d > 0 && now() > deadline) return null;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d - 1, offset + d + 2));
        return backtrack(trace, n, m);
      }
    }
    trace.push(v.slice(offset - d - 1, offset + d + 2));
  }
  return null;
}

/** Walks the saved rows back from (n, m) to (0, 0), collecting runs in forward order. */
function backtrack(trace: Int32Array[], n: number, m: number): Run[] {
  const reversed: Run[] = [];
  const push = (op: Run["op"], count: number) => {
    if (count <= 0) return;
    const last = reversed[reversed.length - 1];
    if (last && last.op === op) last.count += count;
    else reversed.push({ op, count });
  };
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1]!;
    // Row d-1 covers k from -d to d, stored from index 0.
    const at = (k: number) => previous[k + d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const snake = Math.min(x - (prevK === k + 1 ? prevX : prevX + 1), y - (prevK === k + 1 ? prevY + 1 : prevY));
    push("equal", snake);
    x -= snake;
    y -= snake;
    if (prevK === k + 1) push("insert", 1);
    else push("delete", 1);
    x = prevX;
    y = prevY;
  }
  push("equal", x);
  return reversed.reverse();
}
