// The options of each command as commander parses them (undefined = not given): the vocabulary that
// main.ts, which parses, and the command files, which act, share.

/** Options shared by `train` and `sweep`, as commander parses them (undefined = not given). */
export interface ModelFlags {
  dataset?: string;
  data?: string;
  train?: string;
  test?: string;
  testSize?: number;
  dataSeed?: number;
  layers?: number[];
  hidden?: string;
  output?: string;
  init?: string;
  lr?: number | number[];
  iterations?: number;
  seed?: number;
  backend?: string;
  dtype?: string;
  printEvery?: number;
  out?: string;
  quiet?: boolean;
  baseline?: boolean;
  optimizer?: string;
  batchSize?: number;
  epochs?: number;
  beta?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  decayRate?: number;
  timeInterval?: number;
  l2?: number;
  keepProb?: number;
  validationSplit?: number;
  patience?: number;
}

/** The flags of `vecnet predict`. */
export interface PredictFlags {
  model: string;
  data?: string;
  dataset?: string;
  image?: string;
  maxPixels?: number;
  backend?: string;
  quiet?: boolean;
}

/** The flags of `vecnet sweep`: the train flags plus the values to try. */
export interface SweepFlags extends ModelFlags {
  hiddenSizes?: number[];
}

/** The flags of `vecnet export`. */
export interface ExportFlags {
  model: string;
  format: 'onnx';
  output: string;
}
