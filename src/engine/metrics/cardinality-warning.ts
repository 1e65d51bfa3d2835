// k6's warning about too many time series (internal/metrics/engine/ingester.go cardinalityControl):
// once the run has seen more distinct (metric, tags) series than the limit, one warning is logged and
// the limit doubles, so the warning comes back at 200 000, 400 000… and not on every flush.
export const TIME_SERIES_FIRST_LIMIT = 100_000;

export class CardinalityWarning {
  #limit: number;

  constructor(limit = TIME_SERIES_FIRST_LIMIT) {
    this.#limit = limit;
  }

  /** The warning to log for this count of distinct series, or undefined when the limit is not passed. */
  check(seriesCount: number): string | undefined {
    if (seriesCount <= this.#limit) return undefined;
    this.#limit *= 2;
    // k6 names its first limit, however far the doubling has gone.
    return `The test has generated metrics with ${seriesCount} unique time series, which is higher than the suggested limit of ${TIME_SERIES_FIRST_LIMIT} `
      + 'and could cause high memory usage. Consider not using high-cardinality values like unique IDs as metric tags '
      + 'or, if you need them in the URL, use the name metric tag or URL grouping. '
      + 'See https://grafana.com/docs/k6/latest/using-k6/tags-and-groups/ for details.';
  }
}
