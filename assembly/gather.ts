// The mini-batch shuffle's column gather into batch blocks: the `count` columns listed by idx (element
// offsets as f64, exact integers, whatever T is, so one index array serves both dtypes) are cut into
// batches of `size` columns, batch k stored as a contiguous (rows, width_k) block from column
// k·size·rows on. Rows are the outer loop, so x streams through the cache once for all batches (a
// loop per batch would read it once per batch), and each row's reads stay within that row.

/**
 * out's batch blocks for rows row0 … row0+rows-1 of `total` (x points at row row0, so threads can take
 * row ranges): out[k·size·total + r·width_k + c] = x[(r - row0)·ld + idx[k·size + c]].
 */
export function gatherColumns<T>(
  out: usize,
  x: usize,
  idx: usize,
  rows: i32,
  ld: i32,
  count: i32,
  size: i32,
  total: i32,
  row0: i32,
): void {
  const S = <usize>sizeof<T>();
  for (let i = 0; i < rows; i++) {
    const row = x + <usize>i * <usize>ld * S;
    const r = <usize>(row0 + i);
    for (let first = 0; first < count; first += size) {
      const width = min(size, count - first);
      const o = out + (<usize>first * <usize>total + r * <usize>width) * S;
      const ix = idx + (<usize>first << 3);
      for (let c = 0; c < width; c++) {
        const k = <usize>load<f64>(ix + (<usize>c << 3));
        store<T>(o + <usize>c * S, load<T>(row + k * S));
      }
    }
  }
}
