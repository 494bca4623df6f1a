// Value parsers for the command's options. Each throws commander's InvalidArgumentError, which
// commander turns into one line: "option '--lr <rate>' argument 'x' is invalid. <our reason>".

import { InvalidArgumentError } from 'commander';

/** A finite number > 0. @example parsePositive('1.2') // 1.2 */
export function parsePositive(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v <= 0) {
    throw new InvalidArgumentError('expected a positive number such as 1.2 or 0.0075.');
  }
  return v;
}

/** A fraction in [0, 1). @example parseFraction('0.2') // 0.2 */
export function parseFraction(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < 0 || v >= 1) {
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
  const nums = parts.map(Number);
  if (parts.some((p, i) => p === '' || !Number.isFinite(nums[i]) || nums[i] <= 0)) {
    throw new InvalidArgumentError('expected comma-separated positive numbers such as 0.01,0.001,0.0001.');
  }
  return nums;
}

/** A usage error found after parsing (conflicting or missing options): exit status 2. @example throw new UsageError('--test needs --train') */
export class UsageError extends Error {
  override name = 'UsageError';
}
