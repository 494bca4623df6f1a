// threads.js inside a module worker: vecnet starts nested workers, and waits with Atomics.wait.
import { run } from './threads.js';

postMessage(await run());
