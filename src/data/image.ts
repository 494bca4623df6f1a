// "Test with your own image": decode a PNG or JPEG (pngjs, jpeg-js), resize it to the model's input
// with bilinear interpolation, and flatten it like the training images. Node only (pngjs uses zlib).

import { DataFileError, limitOf } from '../core/index.js';
import { array, type CreateOptions, type NDArray } from '../ndarray/index.js';

/** An 8-bit RGB image, row-major, 3 bytes per pixel (the course's (h, w, 3) uint8 layout). */
export interface RgbImage {
  width: number;
  height: number;
  /** height · width · 3 bytes: pixel (y, x) channel c at `(y·width + x)·3 + c`. */
  data: Uint8Array;
}

const isPng = (b: Uint8Array) =>
  b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Keeps R, G, B of RGBA pixels (alpha is dropped, as PIL's `convert("RGB")` does). */
function rgbaToRgb(rgba: Uint8Array, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < width * height; p++, q += 4) {
    data[3 * p] = rgba[q];
    data[3 * p + 1] = rgba[q + 1];
    data[3 * p + 2] = rgba[q + 2];
  }
  return { width, height, data };
}

/** Width and height from a PNG's IHDR chunk, which the format puts first. */
function pngSize(b: Uint8Array): [number, number] | undefined {
  if (b.length < 24 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [dv.getUint32(16), dv.getUint32(20)];
}

/** Width and height from a JPEG's first start-of-frame marker (SOF0 to SOF15 but DHT, JPG, DAC). */
function jpegSize(b: Uint8Array): [number, number] | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = (b[i + 2] << 8) | b[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [(b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]];
    }
    if (length < 2) return undefined;
    i += 2 + length;
  }
  return undefined;
}

/** Options of the image decoders. */
export interface DecodeOptions {
  /** Largest width × height to decode; default $VECNET_MAX_IMAGE_PIXELS, else 64 million. */
  maxPixels?: number;
}

/**
 * Decodes PNG or JPEG bytes (recognised by their signature) to 8-bit RGB. `name` is used in errors.
 * The size in the header is checked before anything is decoded: an image of more than `maxPixels`
 * pixels is refused (a few bytes can declare a picture of gigabytes).
 *
 * @throws DataFileError naming the image: not PNG or JPEG, too large, or damaged.
 * @example
 * const img = await decodeImage(await readFile('my_cat.jpg'), 'my_cat.jpg');
 * img.width; img.height; // e.g. 640, 480
 */
export async function decodeImage(
  bytes: Uint8Array,
  name = 'image',
  options: DecodeOptions = {},
): Promise<RgbImage> {
  const png = isPng(bytes);
  if (!png && !isJpeg(bytes)) throw new DataFileError(name, `${name}: not a PNG or JPEG image`);
  const kind = png ? 'PNG' : 'JPEG';
  const size = png ? pngSize(bytes) : jpegSize(bytes);
  if (!size || size[0] < 1 || size[1] < 1) {
    throw new DataFileError(name, `${name}: not a valid ${kind} image (its header is damaged or missing)`);
  }
  const maxPixels = options.maxPixels ?? limitOf('imagePixels');
  const [width, height] = size;
  if (width * height > maxPixels) {
    throw new DataFileError(
      name,
      `${name}: the image is ${width}x${height} pixels, more than vecnet decodes (${maxPixels} pixels; raise it with --max-pixels or $VECNET_MAX_IMAGE_PIXELS)`,
    );
  }
  try {
    if (png) {
      const { PNG } = await import('pngjs');
      const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return rgbaToRgb(img.data, img.width, img.height);
    }
    const jpeg = (await import('jpeg-js')).default;
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: Math.ceil(maxPixels / 1e6),
      maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 8) / 2 ** 20)),
    });
    return rgbaToRgb(img.data, img.width, img.height);
  } catch {
    throw new DataFileError(name, `${name}: not a valid ${kind} image (the file is damaged or truncated)`);
  }
}

/**
 * Resizes an RGB image with bilinear interpolation (pixel centres aligned, edges clamped), rounding to
 * uint8. No antialiasing: a large photo shrunk to 64x64 is sampled, which is enough for the course's
 * "test with your own image" (PIL's resize, which the notebook uses, filters more; predictions can
 * differ slightly).
 *
 * @example
 * const small = resizeBilinear(img, 64, 64);
 * small.data.length; // 12288
 */
export function resizeBilinear(img: RgbImage, width: number, height: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`resizeBilinear: size must be positive integers, got ${width}x${height}`);
  }
  const { width: w0, height: h0, data: src } = img;
  const out = new Uint8Array(width * height * 3);
  const sx = w0 / width;
  const sy = h0 / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h0 - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h0 - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w0 - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w0 - 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src[(y0 * w0 + x0) * 3 + c];
        const b = src[(y0 * w0 + x1) * 3 + c];
        const d = src[(y1 * w0 + x0) * 3 + c];
        const e = src[(y1 * w0 + x1) * 3 + c];
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * width + x) * 3 + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { width, height, data: out };
}

/**
 * Reads a PNG/JPEG file, resizes it to `width` x `height` and returns it as one column (h·w·3, 1) of
 * raw 0..255 values in C order — the layout of a flattened course image. Scale it the way the
 * training data was scaled (e.g. `scale(x, 1 / 255)`) before `model.predict`.
 *
 * @example
 * const x = await loadImageColumn('my_cat.jpg', 64, 64); // (12288, 1)
 * model.predictProba(scale(x, 1 / 255));
 */
export async function loadImageColumn(
  path: string,
  width: number,
  height: number,
  options: CreateOptions & DecodeOptions = {},
): Promise<NDArray> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DataFileError(path, `${path}: cannot read the image (${e.code ?? e.message})`);
  });
  const { maxPixels, ...create } = options;
  if (width * height > (maxPixels ?? limitOf('imagePixels'))) {
    throw new DataFileError(
      path,
      `${path}: cannot resize to ${width}x${height}: more pixels than vecnet handles`,
    );
  }
  const img = resizeBilinear(await decodeImage(bytes, path, { maxPixels }), width, height);
  return array(Float64Array.from(img.data), { ...create, shape: [width * height * 3, 1] });
}
