// Every test file starts as a program would: from the Node entry, which attaches the NDArray methods
// and registers the backends, so files that import the layers directly find them ready.
import '../src/index.js';
