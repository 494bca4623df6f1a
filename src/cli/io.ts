// Where the CLI writes: the process's stdout and stderr, or a test's buffers.

/** Where the CLI writes. The progress bar is drawn only when `stream` is a TTY. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** The stdout stream, when it is a terminal (for the progress bar). */
  tty?: NodeJS.WriteStream;
}

/** The process's own stdout/stderr. @example await main(['train'], nodeIO()) */
export function nodeIO(): CliIO {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    tty: process.stdout.isTTY ? process.stdout : undefined,
  };
}
