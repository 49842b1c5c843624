// Version numbers such as 0.9, 1.0 and 1.0.1: their syntax and their order.

const VERSION_PATTERN = /^[0-9]+(\.[0-9]+)*$/;

export function isValidVersionNumber(value: string): boolean {
  return value.length <= 20 && VERSION_PATTERN.test(value);
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
