// The module's memory as the TypeScript allocator sees it: everything above the static data is its.

/** First byte above the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
