// Text that came from a file (class names, dataset names, a parser's message quoting the bytes it
// choked on) on its way to a terminal or a log: control characters, and with them terminal escape
// sequences, become visible \x.. escapes instead of acting on the screen or breaking a line in two.

/**
 * `text` with every control character (C0, DEL, C1) written as a visible `\xNN` escape.
 *
 * @example printable('cat\u001b[2J') // 'cat\\x1b[2J'
 */
export function printable(text: string): string {
  let safe = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    safe += control ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return safe;
}
