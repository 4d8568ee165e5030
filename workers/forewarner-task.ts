// Piscina task: one chunk of forewarner paths. The pool (forewarner-pool.ts) plans and merges chunks.
import { simulateChunk, type McChunk, type McInput } from '../engine/forewarner-mc.ts';

export interface ForewarnerTask {
  input: McInput;
  firstPath: number;
  count: number;
}

/** Returns plain data: the Float64Array of finals crosses back by structured clone. */
export default function forewarnerTask({ input, firstPath, count }: ForewarnerTask): McChunk {
  return simulateChunk(input, firstPath, count);
}
