export {
  type Interval,
  mergeIntervals,
  unionIntervals,
  intersectIntervals,
  subtractIntervals,
  removalWindows,
  validIntervalsFromTimes,
} from './intervals.js';
