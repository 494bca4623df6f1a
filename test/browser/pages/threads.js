// Threaded GEMM through the bundle's public API, run on a page's main thread (threads.html) or in a
// module worker (threads-worker.js): C = A·B with two threads equals C with one, bit for bit.
import * as vn from '/dist/vecnet.browser.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run() {
  const out = { failure: undefined, workersStarted: 0, equal: {} };
  // count the workers vecnet starts in this context
  const Native = globalThis.Worker;
  if (Native) {
    globalThis.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        out.workersStarted++;
      }
    };
  }
  try {
    out.isolated = globalThis.crossOriginIsolated === true;
    out.backend = await vn.ready();
    out.defaultThreads = vn.getThreads();
    const rs = new vn.RandomState(3);
    for (const dtype of ['float32', 'float64']) {
      const a = vn.array(Array.from(rs.randnData(96 * 300)), { shape: [96, 300], dtype });
      const b = vn.array(Array.from(rs.randnData(300 * 264)), { shape: [300, 264], dtype });
      vn.setThreads(2);
      a.matmul(b).dispose(); // starts the workers
      await sleep(300); // let them come up
      const t0 = performance.now();
      const two = [a.matmul(b), a.T.T.matmul(b.T.T), b.T.matmul(a.T)];
      out[`ms2_${dtype}`] = performance.now() - t0;
      out.threads = vn.getThreads();
      vn.setThreads(1);
      const one = [a.matmul(b), a.T.T.matmul(b.T.T), b.T.matmul(a.T)];
      out.equal[dtype] = two.every((x, i) => {
        const p = x.data;
        const q = one[i].data;
        return p.length === q.length && p.every((v, j) => Object.is(v, q[j]));
      });
    }
  } catch (error) {
    out.failure = String(error?.stack ?? error);
  }
  return out;
}
