import type { NDArray } from './ndarray.js';

function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
}

/** NumPy-like text: `array([[1., 2.], [3., 4.]])`, with dtype noted for float32. */
export function format(x: NDArray): string {
  if (x.isDisposed) return 'array(<disposed>)';
  const nested = x.toArray();
  const body = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map(body).join(', ')}]` : formatNumber(v as number);
  const dtype = x.dtype === 'float32' ? ', dtype=float32' : '';
  return `array(${body(nested)}${dtype})`;
}
