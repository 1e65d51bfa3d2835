// Which part of the test a worker thread runs: its share of the instance's execution segment (the
// whole test unless --execution-segment is set), cut so workers never overlap each other or other
// instances of a distributed run.
import {
  ExecutionTuple, SegmentedIndex, parseExecutionSegment, parseExecutionSegmentSequence,
} from '../executors/execution-segment.ts';

export interface SegmentOptions {
  readonly executionSegment?: string | undefined;
  readonly executionSegmentSequence?: string | undefined;
}

/** The instance's segment of the test (the whole test unless --execution-segment is set). */
export function instanceTuple(options: SegmentOptions): ExecutionTuple {
  const segment = options.executionSegment === undefined ? undefined : parseExecutionSegment(options.executionSegment);
  const sequence = options.executionSegmentSequence === undefined ? [] : parseExecutionSegmentSequence(options.executionSegmentSequence);
  return ExecutionTuple.of(segment, sequence);
}

export function workerTuple(options: SegmentOptions, index: number, count: number): ExecutionTuple {
  return instanceTuple(options).forWorkerIn(index, count);
}

/**
 * `vu.idInTest` of the instance's n-th VU (`__VU`): the same number for a whole-test instance, else
 * the global index of the instance's n-th stripe (k6 SegmentedIndex), unique across instances.
 */
export function globalVuIds(options: SegmentOptions): (localId: number) => number {
  const tuple = instanceTuple(options);
  if (tuple.isFull) return (id) => id;
  const index = new SegmentedIndex(tuple);
  const known: number[] = [0];
  return (id) => {
    while (known.length <= id) known.push(index.next().unscaled);
    return known[id] as number;
  };
}
