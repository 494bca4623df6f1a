// The environment variables vecnet reads, read in one place (in a browser there are none), and those
// that take one of a few words checked against one table, for the library and the `vecnet` command.

import { printable } from './text.js';

/** $name, or undefined where it is unset or there is no process environment (a browser). */
export function envVar(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** The variables that choose among words, and their words. */
export const ENV_CHOICES = {
  VECNET_BACKEND: ['loop', 'vectorized', 'wasm'],
  VECNET_WASM_BUILD: ['simd128', 'relaxed-simd'],
} as const;

export type ChoiceVariable = keyof typeof ENV_CHOICES;

/**
 * $name when it is one of its words; undefined when unset or empty.
 *
 * @throws Error naming the variable, its words and the value, for anything else (a typo must not be
 * ignored).
 * @example envChoice('VECNET_BACKEND') // 'vectorized' with VECNET_BACKEND=vectorized
 */
export function envChoice<N extends ChoiceVariable>(name: N): (typeof ENV_CHOICES)[N][number] | undefined {
  const raw = envVar(name);
  if (raw === undefined || raw === '') return undefined;
  const words: readonly string[] = ENV_CHOICES[name];
  if (!words.includes(raw))
    throw new Error(`${name} must be one of ${words.join(', ')}, got '${printable(raw)}'`);
  return raw as (typeof ENV_CHOICES)[N][number];
}
