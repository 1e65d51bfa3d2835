// Grafana Cloud k6 records how busy each load generator of a run was, as gauges of the run beside
// k6's own metrics (`load_generator_cpu_percent`, `load_generator_memory_used_percent`,
// `load_generator_file_handles`), labelled with the generator's `load_zone` and `instance_id`: the
// metrics that tell whether a slow result came from the system under test or from a saturated
// generator. Stampede's load generators are its runner processes, measured by the control plane, not
// by the script, so these metrics are no part of k6's end-of-test summary, and the script cannot
// declare thresholds on them (k6 refuses a threshold on a metric it does not know).

export const LOAD_GENERATOR_CPU = 'load_generator_cpu_percent';
export const LOAD_GENERATOR_MEMORY = 'load_generator_memory_used_percent';
export const LOAD_GENERATOR_FILE_HANDLES = 'load_generator_file_handles';

export const LOAD_GENERATOR_METRICS: ReadonlySet<string> = new Set([LOAD_GENERATOR_CPU, LOAD_GENERATOR_MEMORY, LOAD_GENERATOR_FILE_HANDLES]);

/** A metric the control plane records about a run's runners rather than one the engine reported. */
export function isLoadGeneratorMetric(name: string): boolean {
  return LOAD_GENERATOR_METRICS.has(name);
}
