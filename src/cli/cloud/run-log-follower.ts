// `stampede cloud run --show-logs` (on by default, as in k6): the run's log lines printed through the
// CLI's logger as they arrive, read with the server's GET /cloud/v6/test_runs/{id}/logs cursor each
// time the run is polled. A server without the endpoint (404) is told once and not asked again.
import { ApiError, type ApiClient } from './api-client.ts';
import type { CloudLogLevel } from './cloud-run.ts';

export interface RunLogItem {
  id: number;
  time: string;
  level: string;
  message: string;
  labels: Record<string, string>;
}

/** logrus level names → the CLI logger's. */
function cliLevel(level: string): CloudLogLevel {
  if (level === 'debug' || level === 'trace') return 'debug';
  if (level === 'warning' || level === 'warn') return 'warn';
  if (level === 'error' || level === 'fatal' || level === 'panic') return 'error';
  return 'info';
}

export class RunLogFollower {
  #after = 0;
  #off = false;

  constructor(
    private readonly client: ApiClient,
    private readonly runId: number,
    private readonly print: (level: CloudLogLevel, msg: string, fields: Readonly<Record<string, string>>, time: number) => void,
    private readonly warn: (msg: string) => void,
  ) {}

  /** Prints every line logged since the last call (all pages of them). */
  async poll(): Promise<void> {
    while (!this.#off) {
      let page: { value: RunLogItem[]; '@nextLink'?: string };
      try {
        page = await this.client.json(`/cloud/v6/test_runs/${this.runId}/logs?after=${this.#after}&limit=1000`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          this.#off = true;
          this.warn('the server does not serve test run logs: --show-logs shows nothing');
        }
        return;
      }
      for (const line of page.value) {
        this.#after = Math.max(this.#after, line.id);
        this.print(cliLevel(line.level), line.message, line.labels, Date.parse(line.time));
      }
      if (page['@nextLink'] === undefined) return;
    }
  }
}
