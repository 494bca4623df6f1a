// A linear scan of a model file's text before JSON.parse: JSON.parse itself has no limits, so a file
// of a hundred million small numbers would take the heap, and ten thousand nested brackets the stack
// of the code that walks the result. A model file is a few objects of strings (the parameters are
// base64 or offsets into a .bin file): it never comes near these limits.

import { ModelFormatError } from '../core/index.js';

/** Brackets a model file may nest (the document itself is depth 1; metadata adds a few levels). */
export const MAX_JSON_DEPTH = 32;
/** Values a model file may hold (counted as separators and openings: an upper bound of its values). */
export const MAX_JSON_VALUES = 1_000_000;

/**
 * Throws a ModelFormatError when `text` nests deeper than MAX_JSON_DEPTH or holds more than
 * MAX_JSON_VALUES values; says nothing about whether it is valid JSON (JSON.parse does that next).
 */
export function checkJsonShape(text: string, source: string): void {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new ModelFormatError(
          source,
          `nests deeper than ${MAX_JSON_DEPTH} levels: not a vecnet model file`,
        );
      }
      values++;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44) {
      if (++values > MAX_JSON_VALUES) {
        throw new ModelFormatError(
          source,
          `holds more than ${MAX_JSON_VALUES} values: not a vecnet model file`,
        );
      }
    }
  }
}
