// Value parsers for the command's options. Each throws commander's InvalidArgumentError, which
// commander turns into one line: "option '--lr <rate>' argument 'x' is invalid. <our reason>".

import { InvalidArgumentError } from 'commander';
import { ENV_CHOICES, envChoice, LIMITS, limitOf, printable } from '../index.js';

/** A decimal number as people write it: 1.2, .5, 3e-4 (not 0x10, 0b1, Infinity, or an empty string). */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The number `value` writes in decimal, or NaN. @example decimal('1e-3') // 0.001 */
export function decimal(value: string): number {
  return DECIMAL.test(value) ? Number(value) : Number.NaN;
}

/** A finite number > 0. @example parsePositive('1.2') // 1.2 */
export function parsePositive(value: string): number {
  const v = decimal(value);
  if (!Number.isFinite(v) || v <= 0) {
    throw new InvalidArgumentError('expected a positive number such as 1.2 or 0.0075.');
  }
  return v;
}

/** A finite number >= 0. @example parseNonNegative('0.7') // 0.7 */
export function parseNonNegative(value: string): number {
  const v = decimal(value);
  if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError('expected a number >= 0 such as 0.7.');
  return v;
}

/** A probability in (0, 1]. @example parseKeepProb('0.86') // 0.86 */
export function parseKeepProb(value: string): number {
  const v = decimal(value);
  if (!(v > 0 && v <= 1)) throw new InvalidArgumentError('expected a probability in (0, 1] such as 0.86.');
  return v;
}

/** A fraction in [0, 1). @example parseFraction('0.2') // 0.2 */
export function parseFraction(value: string): number {
  const v = decimal(value);
  if (!Number.isFinite(v) || v < 0 || v >= 1) {
    throw new InvalidArgumentError('expected a fraction in [0, 1) such as 0.2.');
  }
  return v;
}

/** An integer >= 1 (underscores allowed: 10_000). @example parsePositiveInt('10_000') // 10000 */
export function parsePositiveInt(value: string): number {
  const v = Number(value.replaceAll('_', ''));
  if (!/^\s*\d[\d_]*\s*$/.test(value) || !Number.isSafeInteger(v) || v < 1) {
    throw new InvalidArgumentError('expected a positive integer such as 1000.');
  }
  return v;
}

/** An integer >= 0 (for --print-every 0 = never). @example parseNonNegativeInt('0') // 0 */
export function parseNonNegativeInt(value: string): number {
  const v = Number(value.replaceAll('_', ''));
  if (!/^\s*\d[\d_]*\s*$/.test(value) || !Number.isSafeInteger(v)) {
    throw new InvalidArgumentError('expected a non-negative integer such as 1000.');
  }
  return v;
}

/** A seed: an integer in [0, 2**32). @example parseSeed('2') // 2 */
export function parseSeed(value: string): number {
  const v = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(v) || v > 0xffffffff) {
    throw new InvalidArgumentError('expected an integer seed between 0 and 4294967295.');
  }
  return v;
}

/** A comma-separated list of positive integers. @example parseIntList('20,7,5,1') // [20, 7, 5, 1] */
export function parseIntList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || !Number.isSafeInteger(Number(p)))) {
    throw new InvalidArgumentError('expected comma-separated positive integers such as 20,7,5,1.');
  }
  return parts.map(Number);
}

/** A comma-separated list of positive numbers. @example parseNumberList('0.01,0.001') // [0.01, 0.001] */
export function parseNumberList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map(decimal);
  if (nums.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new InvalidArgumentError('expected comma-separated positive numbers such as 0.01,0.001,0.0001.');
  }
  return nums;
}

/** A usage error found after parsing (conflicting or missing options): exit status 2. @example throw new UsageError('--test needs --train') */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A positive integer count of pixels. @example parsePixels('64000000') // 64000000 */
export function parsePixels(value: string): number {
  const v = Number(value.replaceAll('_', ''));
  if (!/^\s*\d[\d_]*\s*$/.test(value) || !Number.isSafeInteger(v) || v < 1) {
    throw new InvalidArgumentError('expected a positive number of pixels such as 64000000.');
  }
  return v;
}

/**
 * Checks the environment variables vecnet reads, so that a typo is a usage error (exit 2) before any
 * work rather than a value silently ignored: $VECNET_THREADS, the backend and build choices (checked
 * by the library's own reader, envChoice) and the size limits (limitOf).
 */
export function checkEnvironment(maxThreads: number): void {
  const threads = process.env.VECNET_THREADS;
  if (threads !== undefined && threads !== '') {
    const n = Number(threads);
    if (!/^\s*\d+\s*$/.test(threads) || n < 1 || n > maxThreads) {
      throw new UsageError(
        `VECNET_THREADS must be an integer from 1 to ${maxThreads}, got '${printable(threads)}'`,
      );
    }
  }
  for (const name of Object.keys(ENV_CHOICES) as (keyof typeof ENV_CHOICES)[]) {
    try {
      envChoice(name);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  for (const [key, { env: name }] of Object.entries(LIMITS)) {
    try {
      limitOf(key as keyof typeof LIMITS);
    } catch {
      throw new UsageError(`${name} must be a positive integer, got '${printable(process.env[name] ?? '')}'`);
    }
  }
}
