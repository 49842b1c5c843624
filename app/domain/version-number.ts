// Version numbers such as 0.9, 1.0 and 1.0.1: their syntax and their order.

// Whole numbers without leading zeros, so that each number has one spelling (1.0, never 1.00).
const VERSION_PATTERN = /^(0|[1-9][0-9]{0,5})(\.(0|[1-9][0-9]{0,5}))*$/;

export function isValidVersionNumber(value: string): boolean {
  return value.length <= 40 && VERSION_PATTERN.test(value);
}

/** Orders 0.9 < 0.10 < 1.0 < 1.0.1 (numerically, part by part). */
export function compareVersionNumbers(a: string, b: string): number {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * How the two versions of a compare address stand: older first ("ordered"), newer first
 * ("reversed", whose reasons would read backwards), or one version twice ("same").
 */
export function rangeOrder(from: string, to: string): "ordered" | "reversed" | "same" {
  const order = compareVersionNumbers(from, to);
  return order === 0 ? "same" : order > 0 ? "reversed" : "ordered";
}
