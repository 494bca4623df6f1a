// Strict base64 (RFC 4648, standard alphabet, padded) without Node's Buffer, so model files encode
// and decode the same way in the browser. Decoding rejects anything that is not canonical base64.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENC = new Uint8Array(64);
const DEC = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  ENC[i] = ALPHABET.charCodeAt(i);
  DEC[ALPHABET.charCodeAt(i)] = i;
}
const PAD = 61; // '='

/** Encodes bytes as padded base64. @example encodeBase64(new Uint8Array([1, 2, 3])) // 'AQID' */
export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENC[v >> 18];
    out[o++] = ENC[(v >> 12) & 63];
    out[o++] = ENC[(v >> 6) & 63];
    out[o++] = ENC[v & 63];
  }
  if (n - i === 1) {
    const v = bytes[i] << 16;
    out[o++] = ENC[v >> 18];
    out[o++] = ENC[(v >> 12) & 63];
    out[o++] = PAD;
    out[o++] = PAD;
  } else if (n - i === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out[o++] = ENC[v >> 18];
    out[o++] = ENC[(v >> 12) & 63];
    out[o++] = ENC[(v >> 6) & 63];
    out[o++] = PAD;
  }
  return new TextDecoder('latin1').decode(out);
}

/** The 6-bit value of the character at i, or -1 outside the alphabet. */
function at(text: string, i: number): number {
  const ch = text.charCodeAt(i);
  return ch < 256 ? DEC[ch] : -1;
}

/**
 * Decodes padded base64; returns undefined when `text` is not canonical base64 (length not a multiple
 * of 4, characters outside the alphabet, misplaced padding or non-zero padding bits).
 *
 * @example decodeBase64('AQID') // Uint8Array [1, 2, 3]
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const len = text.length;
  if (len % 4 !== 0) return undefined;
  const pad = len > 0 && text.charCodeAt(len - 1) === PAD ? (text.charCodeAt(len - 2) === PAD ? 2 : 1) : 0;
  const out = new Uint8Array((len / 4) * 3 - pad);
  const full = len - (pad ? 4 : 0);
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = at(text, i);
    const b = at(text, i + 1);
    const c = at(text, i + 2);
    const d = at(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad) {
    const a = at(text, full);
    const b = at(text, full + 1);
    const c = pad === 1 ? at(text, full + 2) : 0;
    if ((a | b | c) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6);
    if (pad === 2 && (v & 0xffff) !== 0) return undefined;
    if (pad === 1 && (v & 0xff) !== 0) return undefined;
    out[o++] = v >> 16;
    if (pad === 1) out[o++] = (v >> 8) & 255;
  }
  return out;
}
