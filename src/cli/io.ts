// Where the CLI writes: the process's stdout and stderr, or a test's buffers.

/** Where the CLI writes. The progress bar is drawn only when `stream` is a TTY. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** The stdout stream, when it is a terminal (for the progress bar). */
  tty?: NodeJS.WriteStream;
}

/**
 * The process's own stdout/stderr. A reader that goes away (`vecnet train | head -1`) ends the
 * command quietly, as a pipe of shell tools does, instead of failing on the next write.
 *
 * @example await main(['train'], nodeIO())
 */
export function nodeIO(): CliIO {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
        throw e;
      });
    }
  }
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    tty: process.stdout.isTTY ? process.stdout : undefined,
  };
}
