import type { Backend, Buffer } from '../backend/index.js';

/** A backend buffer shared by an array and its views; freed when the last of them is disposed. */
export class Storage {
  private refs = 1;
  constructor(
    readonly backend: Backend,
    readonly buffer: Buffer,
  ) {}

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) this.backend.free(this.buffer);
  }
}
