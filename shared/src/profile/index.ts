// The profiling API (profiler.ts) and the sketches it is built from, each usable alone.
export { createProfiler, profilerFromState, QUANTILE_LEVELS, type Profiler } from './profiler.ts';
export type { ColumnProfile, ColumnState, DatasetProfile, ProfileColumn, ProfileColumnType, ProfilerOptions, ProfilerState, QuantileKey } from './types.ts';
export { ProfilerStateSchema } from './state-schema.ts';
export { createMoments, type Moments, type MomentsState, type MomentsSummary } from './moments.ts';
export { createQuantileSketch, quantileSketchFromState, nearestRank, type QuantileSketch, type QuantileSketchOptions, type QuantileSketchState } from './quantiles.ts';
export { histogramFromSketch, type Histogram } from './histogram.ts';
export { createDistinctCounter, distinctCounterFromState, HLL_STANDARD_ERROR, type DistinctCount, type DistinctCounter, type DistinctState } from './distinct.ts';
export { createTopK, topKFromState, type TopK, type TopKResult, type TopKState } from './top-k.ts';
export { createCorrelation, correlationFromState, type Correlation, type CorrelationState } from './correlation.ts';
export { murmur3, hashPair } from './hash.ts';
export { createRandom, type Random } from './random.ts';
