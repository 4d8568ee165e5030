// The NG3-lite pipeline's public surface: bar-by-bar kernel, whole-series columns, worker pool.
export { assembleColumns, computeColumns, runWindows, type ComputeOptions, type WindowSeries } from './columns.ts';
export { Ng3InputError, Ng3OptionsError } from './errors.ts';
export { Ng3Kernel, ng3ColumnNames, velDiv, type Ng3Row } from './kernel.ts';
export { NG3_DEFAULTS, resolveNg3Options, type Ng3Options, type ResolvedNg3Options } from './options.ts';
export { Ng3Pool, Ng3PoolClosedError, type Ng3PoolOptions } from './pool.ts';
