// Ctrl-C during training: the run stops between iterations and the CLI exits with status 130.

/** Aborts the signal on Ctrl-C while training runs (the CLI then exits with status 130). @example const { signal, release } = interruptSignal(); */
export function interruptSignal(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}
