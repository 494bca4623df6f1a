// `using x = …` (explicit resource management) for vecnet's arrays and models: they implement
// [Symbol.dispose]. Two things make that work for every consumer:
// - at run time, an engine without Symbol.dispose (Chrome before 125, Safari, older Node) gets the
//   registered symbol that TypeScript's and esbuild's `using` helpers fall back to;
// - in the types, the declaration below (as @types/node has it) lets a project compile `using` with
//   vecnet's declarations whatever its `lib` setting, without adding esnext.disposable itself.

declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
}

if (typeof Symbol.dispose !== 'symbol') {
  Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('Symbol.dispose') });
}

/** The symbol `using` calls on scope exit (Symbol.dispose, provided where the engine lacks it). */
export const DISPOSE: typeof Symbol.dispose = Symbol.dispose;
