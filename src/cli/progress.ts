// Training progress: on a terminal, a live cli-progress bar with iterations/s and the current cost;
// the course's "Cost after iteration i: J" lines (printed by fit's logger) go above it via `log`.

import cliProgress from 'cli-progress';
import type { CliIO } from './io.js';

/** Reports one training run. @example const p = startProgress(io, 'network', 10000, { quiet: false }); */
export interface Progress {
  /** Called after iteration `i` (0-based) with its cost; updates the bar. */
  tick(i: number, cost: number): void;
  /** Prints a line above the bar (or plainly when there is none). */
  log(line: string): void;
  stop(): void;
}

/** Steps per second: whole numbers from 10 up, two decimals below (slow epochs). */
function rate(perSecond: number): string {
  return perSecond >= 10 ? Math.round(perSecond).toString() : perSecond.toFixed(2);
}

/** Formats a cost as the notebook's `%f`. @example formatCost(0.6930480201239823) // '0.693048' */
export function formatCost(cost: number): string {
  return Number.isFinite(cost) ? cost.toFixed(6) : String(cost);
}

/**
 * Starts reporting a run of `total` iterations named `label`. The bar is shown only when `io.tty` is
 * set (stdout is a terminal) and not `quiet`; `log` prints a line above it, or plainly without it.
 *
 * @example
 * const p = startProgress(io, 'network [2,4,1]', 10000, { quiet: false });
 * for (let i = 0; i < 10000; i++) p.tick(i, cost);
 * p.stop();
 */
export function startProgress(
  io: CliIO,
  label: string,
  total: number,
  { quiet, unit = 'iteration' }: { quiet: boolean; unit?: 'iteration' | 'epoch' },
): Progress {
  const short = unit === 'epoch' ? 'ep' : 'it';
  // an epoch can take long: redraw after each one; iterations every 50
  const every = unit === 'epoch' ? 1 : 50;
  const started = performance.now();
  let multi: cliProgress.MultiBar | undefined;
  let bar: cliProgress.SingleBar | undefined;
  if (io.tty && !quiet) {
    multi = new cliProgress.MultiBar(
      {
        stream: io.tty,
        format: ` ${label} [{bar}] {percentage}% | {value}/{total} ${short} | {speed} ${short}/s | cost {cost}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    bar = multi.create(total, 0, { speed: '0', cost: '-' });
  }
  const log = (line: string) => {
    if (multi) multi.log(`${line}\n`);
    else io.out(`${line}\n`);
  };
  return {
    tick(i, cost) {
      if (bar && (i % every === 0 || i === total - 1)) {
        const seconds = (performance.now() - started) / 1000;
        bar.update(i + 1, {
          speed: seconds > 0 ? rate((i + 1) / seconds) : '-',
          cost: formatCost(cost),
        });
      }
    },
    log,
    stop() {
      if (!multi) return;
      multi.update(); // flushes lines logged since the last redraw
      multi.stop();
    },
  };
}
