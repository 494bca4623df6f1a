import type { Backend, Buffer } from '../backend/index.js';
import { storageChanged } from './ledger.js';

/** A backend buffer shared by an array and its views; freed when the last of them is disposed. */
export class Storage {
  private refs = 1;
  constructor(
    readonly backend: Backend,
    readonly buffer: Buffer,
  ) {
    storageChanged(1, buffer.dtype, buffer.length);
  }

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) {
      storageChanged(-1, this.buffer.dtype, this.buffer.length);
      this.backend.free(this.buffer);
    }
  }
}
