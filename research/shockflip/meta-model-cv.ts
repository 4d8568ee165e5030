// Rolling time-block cross-validation in calendar months (the blueprint: "3-month train / 1-month
// test rolling"). Fold k trains on months [m0 + k·s, m0 + k·s + train) and tests on the next `test`
// months; s = test months, so test blocks never overlap. A training sample whose label is only known
// after the test block starts (its trade exits later) is purged: no fold learns from the future.
import { monthIndex, monthLabel, monthStartMs } from './stats-months.ts';
import { MetaModelInputError } from './meta-model-booster.ts';

export interface CvOptions {
  trainMonths: number;
  testMonths: number;
}

export interface CvSample {
  /** decision time (the entry) */
  ts: number;
  /** when the label became known (the trade's exit); ≥ ts */
  labelEnd: number;
}

export interface Fold {
  trainFrom: string;
  /** first month after the training block = the first test month */
  testFrom: string;
  testTo: string;
  train: number[];
  test: number[];
  /** training-window samples dropped because their label ends at or after the test start */
  purged: number;
}

export function rollingFolds(samples: readonly CvSample[], o: CvOptions): Fold[] {
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isInteger(v) || v < 1) throw new MetaModelInputError(`${k} must be an integer ≥ 1, got ${v}`);
  }
  if (samples.length === 0) return [];
  const months = samples.map((s) => monthIndex(s.ts));
  const first = Math.min(...months);
  const last = Math.max(...months);
  const folds: Fold[] = [];
  for (let start = first; start + o.trainMonths <= last; start += o.testMonths) {
    const testStart = start + o.trainMonths;
    const testEnd = testStart + o.testMonths; // exclusive
    const testStartMs = monthStartMs(testStart);
    const train: number[] = [];
    const test: number[] = [];
    let purged = 0;
    months.forEach((m, i) => {
      if (m >= start && m < testStart) {
        if (samples[i].labelEnd >= testStartMs) purged++;
        else train.push(i);
      } else if (m >= testStart && m < testEnd) test.push(i);
    });
    folds.push({ trainFrom: monthLabel(start), testFrom: monthLabel(testStart), testTo: monthLabel(testEnd - 1), train, test, purged });
  }
  return folds;
}
