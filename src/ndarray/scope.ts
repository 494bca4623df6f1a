// Bookkeeping for tidy(): every array created while a scope is open is recorded in it, and the
// scope disposes whatever the function did not return.

export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

const scopes: Set<Disposable>[] = [];

export function track(value: Disposable): void {
  const scope = scopes[scopes.length - 1];
  if (scope) scope.add(value);
}

/** Runs fn with no scope open, so what it creates lives until disposed explicitly (caches, pools). */
export function untracked<T>(fn: () => T): T {
  const saved = scopes.splice(0, scopes.length);
  try {
    return fn();
  } finally {
    scopes.push(...saved);
  }
}

function collectKept(result: unknown, kept: Set<unknown>): void {
  if (result === null || typeof result !== 'object') return;
  if (kept.has(result)) return;
  kept.add(result);
  if ('dispose' in result && 'isDisposed' in result) return;
  const values = Array.isArray(result)
    ? result
    : result instanceof Map
      ? [...result.values()]
      : Object.values(result as Record<string, unknown>);
  for (const v of values) collectKept(v, kept);
}

/**
 * Runs `fn` and disposes every array created inside it, except those it returns (directly, or inside
 * arrays, Maps and plain objects). Scopes nest; kept arrays belong to the enclosing scope.
 *
 * @example
 * const y = tidy(() => x.mul(2).add(1)); // the intermediate x.mul(2) is freed
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function');
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    scopes.pop();
    for (const value of scope) if (!value.isDisposed) value.dispose();
    throw err;
  }
  scopes.pop();
  if (result instanceof Promise) throw new TypeError('tidy: fn must be synchronous (it returned a Promise)');
  const kept = new Set<unknown>();
  collectKept(result, kept);
  const parent = scopes[scopes.length - 1];
  for (const value of scope) {
    if (kept.has(value)) parent?.add(value);
    else if (!value.isDisposed) value.dispose();
  }
  return result;
}

/**
 * Runs `fn` and returns what it leaked: the arrays (and models) it created and neither disposed nor
 * returned, for a test to assert on (`expect(leakedBy(() => step())).toEqual([])`). Unlike `tidy`,
 * it frees nothing: the leaked values stay alive for inspection (their `shape`, say).
 *
 * @example
 * leakedBy(() => { net.predict(X); });          // [NDArray (1, 400)]: the prediction was dropped
 * leakedBy(() => net.predict(X).dispose());     // []
 */
export function leakedBy(fn: () => unknown): Disposable[] {
  if (typeof fn !== 'function') throw new TypeError('leakedBy: expected a function');
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: unknown;
  try {
    result = fn();
  } finally {
    scopes.pop();
    // whatever was created belongs to the enclosing scope, as if no check had run
    const parent = scopes[scopes.length - 1];
    for (const value of scope) parent?.add(value);
  }
  if (result instanceof Promise)
    throw new TypeError('leakedBy: fn must be synchronous (it returned a Promise)');
  const kept = new Set<unknown>();
  collectKept(result, kept);
  return [...scope].filter((value) => !value.isDisposed && !kept.has(value));
}
