// The course's printed lines, formatted as Python formats them: "%f" (six decimals) in weeks 2 and
// 3, "{}" (the shortest repr that round-trips) in the week-4 application.

/** Python's "%i: %f" cost line. @example costLine(100, 0.5) // 'Cost after iteration 100: 0.500000' */
export function costLineF(i: number, cost: number): string {
  return `Cost after iteration ${i}: ${cost.toFixed(6)}`;
}

/** Python's repr of a float: JavaScript's shortest round-trip form, with Python's exponent style. */
export function pyRepr(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const s = String(x);
  // 1e-7 -> 1e-07, 1.5e+21 -> 1.5e+21 (Python pads the exponent to two digits)
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's "{}" cost line. @example costLineRepr(0, 0.6930497356599888) */
export function costLineRepr(i: number, cost: number): string {
  return `Cost after iteration ${i}: ${pyRepr(cost)}`;
}

/** Where the course's functions print; `console.log` unless a test or an app redirects it. */
export const output = { write: (line: string): void => console.log(line) };
