// Which items moved: a different parent, or a different order among the siblings that both
// versions share. The fewest moves are found with a longest increasing subsequence.
import type { OutlineEntry } from "../numbering";

export function movedIds(from: OutlineEntry[], to: OutlineEntry[], shared: Set<string>): Set<string> {
  const moved = new Set<string>();
  const toEntry = new Map(to.map((entry, index) => [entry.id, { entry, index }]));
  const stayers = new Map<string | null, { id: string; toIndex: number }[]>();
  for (const entry of from) {
    if (!shared.has(entry.id)) continue;
    const target = toEntry.get(entry.id)!;
    if (target.entry.parentId !== entry.parentId) {
      moved.add(entry.id);
      continue;
    }
    const siblings = stayers.get(entry.parentId) ?? [];
    siblings.push({ id: entry.id, toIndex: target.index });
    stayers.set(entry.parentId, siblings);
  }
  for (const siblings of stayers.values()) {
    const keep = longestIncreasing(siblings.map((s) => s.toIndex));
    siblings.forEach((sibling, index) => {
      if (!keep.has(index)) moved.add(sibling.id);
    });
  }
  return moved;
}

/** Indexes of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
export function longestIncreasing(values: number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  values.forEach((value, index) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[index] = tails[lo - 1]!;
    tails[lo] = index;
  });
  const keep = new Set<number>();
  for (let at = tails[tails.length - 1] ?? -1; at >= 0; at = previous[at]!) keep.add(at);
  return keep;
}
