// `vecnet export`: a saved model converted to ONNX (the graph is described in src/io/onnx.ts).

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadModel, ONNX_OPSET } from '../index.js';
import type { ExportFlags } from './flags.js';
import type { CliIO } from './io.js';

/** Runs `vecnet export`. @example await runExport({ model: 'out/model.json', format: 'onnx', output: 'model.onnx' }, nodeIO()); */
export async function runExport(flags: ExportFlags, io: CliIO): Promise<void> {
  const { model } = await loadModel(flags.model);
  try {
    const bytes = model.toONNX();
    await mkdir(dirname(flags.output), { recursive: true });
    await writeFile(flags.output, bytes);
    io.out(
      `Wrote ${flags.output} (ONNX opset ${ONNX_OPSET}, ${bytes.length} bytes): input "X" [N, n_x], output "Y" [N, n_y]\n`,
    );
  } finally {
    model.dispose();
  }
}
