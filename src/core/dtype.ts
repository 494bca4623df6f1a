/** Element types vecnet computes in: float64 (NumPy's default) and float32 (half the bytes, twice the SIMD lanes). */
export type DType = 'float32' | 'float64';

/** The typed array that holds a dtype's elements. */
export type TypedArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float64', 'float32'];

export function bytesPerElement(dtype: DType): 4 | 8 {
  return dtype === 'float32' ? 4 : 8;
}

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64';
}

/** A new zeroed typed array of the dtype. */
export function typedArray(dtype: DType, length: number): TypedArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}
