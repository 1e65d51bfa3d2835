// Which part of the test a worker thread runs: its share of the instance's execution segment (the
// whole test unless --execution-segment is set), cut so workers never overlap each other or other
// instances of a distributed run.
import {
  ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence,
} from '../executors/execution-segment.ts';

export interface SegmentOptions {
  readonly executionSegment?: string | undefined;
  readonly executionSegmentSequence?: string | undefined;
}

export function workerTuple(options: SegmentOptions, index: number, count: number): ExecutionTuple {
  const segment = options.executionSegment === undefined ? undefined : parseExecutionSegment(options.executionSegment);
  const sequence = options.executionSegmentSequence === undefined ? [] : parseExecutionSegmentSequence(options.executionSegmentSequence);
  return ExecutionTuple.of(segment, sequence).forWorkerIn(index, count);
}
