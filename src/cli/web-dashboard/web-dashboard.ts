// k6's web dashboard for `stampede run` (K6_WEB_DASHBOARD=true, `--out web-dashboard[=opts]`), set up
// where k6 creates and starts its outputs: after the test is loaded, before the banner. The feed turns
// the run's per-second metric batches into xk6-dashboard's events; the server streams them; the
// recorder keeps them for the HTML report written when the run ends (before the summary, as k6 stops
// its outputs first).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { formatDuration } from '../../core/index.ts';
import { EngineError, EXIT_CODES, type EngineIo, type LoadedTest, type OutputFile, type RunningTest } from '../../engine/index.ts';
import { DEFAULT_DASHBOARD_PORT, DashboardOptionsError, dashboardOptions, dashboardUrl, eventPeriodMs, listenAddress } from './dashboard-options.ts';
import { DashboardFeed, type DashboardEvent } from './dashboard-feed.ts';
import { DashboardServer } from './dashboard-server.ts';
import { dashboardPage, reportPage } from './dashboard-page.ts';

export interface WebDashboard {
  /** What the banner prints after "web dashboard:" (" http://127.0.0.1:5665"; "" without a server). */
  readonly description: string;
  /** Sends config, param and start, and follows the run's metrics. */
  attach(running: RunningTest): void;
  /**
   * Last cumulative and stop; writes the export; waits for open pages unless the run was aborted, then
   * closes the server. Resolves to the error text of a failure (k6 logs "Stopping output N failed").
   */
  stop(aborted: boolean): Promise<string | undefined>;
  /** Stops waiting for open pages (a signal while stop() waits); whether stop() was waiting. */
  release(): boolean;
}

type Warn = (msg: string, fields?: Record<string, string>) => void;

/** The page's `config` event: what our page shows (xk6-dashboard sends its UI's tab layout here). */
const PAGE_CONFIG = {
  title: 'Stampede web dashboard',
  charts: ['http_reqs', 'vus', 'http_req_duration', 'http_req_failed', 'iterations', 'checks'],
};

/** Keeps what the report needs: every event but config, the latest cumulative and threshold last (xk6-dashboard reporter). */
export class Recorder {
  readonly events: DashboardEvent[] = [];
  cumulative: DashboardEvent | undefined;
  threshold: DashboardEvent | undefined;
  snapshots = 0;

  record(e: DashboardEvent): void {
    // A threshold event follows its cumulative only while something fails: a later cumulative without
    // one means every threshold passes again.
    if (e.name === 'cumulative') {
      this.cumulative = e;
      this.threshold = undefined;
    } else if (e.name === 'threshold') this.threshold = e;
    else if (e.name !== 'config') this.events.push(e);
    if (e.name === 'snapshot') this.snapshots++;
  }

  all(): DashboardEvent[] {
    return [...this.events, ...(this.cumulative === undefined ? [] : [this.cumulative]), ...(this.threshold === undefined ? [] : [this.threshold])];
  }
}

/**
 * xk6-dashboard's recorder (`record=FILE`): every event but config as an NDJSON envelope line, written as
 * it comes (`.gz`: gzipped). Without streamed files (an embedding's EngineIo) the text is written at stop.
 */
async function openRecording(file: string, io: EngineIo): Promise<{ write(e: DashboardEvent): void; close(): Promise<void> }> {
  const target = path.resolve(io.cwd, file);
  let out: OutputFile | undefined;
  const kept: string[] = [];
  if (io.openOutput !== undefined) {
    try {
      out = await io.openOutput(target);
    } catch (e) {
      throw new EngineError(EXIT_CODES.noExitCode, `open ${file}: ${errnoText(e)}`);
    }
  }
  const gzip = out !== undefined && file.endsWith('.gz') ? createGzip() : undefined;
  const sink = out;
  gzip?.on('data', (chunk: Buffer) => sink?.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  return {
    write(e) {
      if (e.name === 'config') return;
      const line = `${JSON.stringify({ event: e.name, data: e.data })}\n`;
      if (gzip !== undefined) gzip.write(line);
      else if (sink !== undefined) sink.write(line);
      else kept.push(line);
    },
    async close() {
      if (gzip !== undefined) await new Promise<void>((resolve, reject) => gzip.once('end', resolve).once('error', reject).end());
      if (sink !== undefined) return sink.close();
      const text = kept.join('');
      await io.writeFile(target, file.endsWith('.gz') ? new Uint8Array(gzipSync(text)) : text);
    },
  };
}

/** Go's text for the errno of a file that cannot be created. */
function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const known: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory', EROFS: 'read-only file system' };
  return (code !== undefined ? known[code] : undefined) ?? (e as Error).message;
}

function thresholdSources(thresholds: LoadedTest['options']['thresholds']): Record<string, string[]> | undefined {
  if (thresholds === undefined || Object.keys(thresholds).length === 0) return undefined;
  const out: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(thresholds)) out[name] = list.map((t) => (typeof t === 'string' ? t : t.threshold));
  return out;
}

/**
 * Reads the options (k6's errors: "could not create the 'web-dashboard' output: …", 255) and starts the
 * server. A port that cannot be bound is only a warning when it is the default one, as in k6.
 */
export async function startWebDashboard(arg: string, script: string, test: LoadedTest, io: EngineIo, warn: Warn): Promise<WebDashboard> {
  let options;
  try {
    options = dashboardOptions(arg, io.env);
  } catch (e) {
    if (!(e instanceof DashboardOptionsError)) throw e;
    throw new EngineError(EXIT_CODES.noExitCode, `could not create the 'web-dashboard' output: ${e.message}`);
  }
  const periodMs = eventPeriodMs(options, test.plan.totalDurationMs);
  // output.NewPeriodicFlusher refuses it when the output starts.
  if (!(periodMs > 0)) throw new EngineError(EXIT_CODES.noExitCode, `metric flush period should be positive but was ${formatDuration(periodMs)}`);
  const recorder = new Recorder();
  const thresholds = thresholdSources(test.options.thresholds);
  const feed = new DashboardFeed({
    periodMs,
    tags: options.tags,
    config: PAGE_CONFIG,
    param: {
      ...(thresholds === undefined ? {} : { thresholds }),
      scenarios: test.plan.scenarios.map((s) => s.name),
      endOffset: test.plan.totalDurationMs,
      ...(script === '-' ? {} : { scriptPath: pathToFileURL(path.resolve(io.cwd, script)).href }),
    },
  });
  const report = (): string => reportPage(recorder.all(), new Date());
  feed.onEvent((e) => recorder.record(e));

  let server: DashboardServer | undefined;
  let description = '';
  const address = listenAddress(options);
  if (address !== undefined) {
    const s = new DashboardServer({ page: dashboardPage(), report });
    try {
      const port = await s.listen(address.host, address.port);
      server = s;
      feed.onEvent((e) => s.publish(e));
      description = ` ${dashboardUrl(options, port)}`;
    } catch (e) {
      warn('Error from Web dashboard', { error: (e as Error).message });
      if (options.port !== DEFAULT_DASHBOARD_PORT) throw new EngineError(EXIT_CODES.noExitCode, (e as Error).message);
      description = ` ${dashboardUrl(options)}`;
    }
  }

  // xk6-dashboard's Start: the server first, then the recording's file (a failure ends the command, 255).
  let recording: Awaited<ReturnType<typeof openRecording>> | undefined;
  if (options.record !== '') {
    try {
      recording = await openRecording(options.record, io);
    } catch (e) {
      await server?.close(false);
      throw e;
    }
    const r = recording;
    feed.onEvent((e) => r.write(e));
  }

  let stopped: Promise<string | undefined> | undefined;
  return {
    description,
    attach(running) {
      feed.start();
      running.onMetrics((b) => feed.push(b));
    },
    stop(aborted) {
      stopped ??= (async () => {
        feed.stop();
        let failure: string | undefined;
        try {
          await recording?.close();
        } catch (e) {
          failure = `write ${options.record}: ${errnoText(e)}`;
        }
        if (options.export !== '') {
          if (recorder.snapshots <= 1) {
            warn('The test run was short, report generation was skipped (not enough data)');
          } else {
            const html = report();
            try {
              await io.writeFile(path.resolve(io.cwd, options.export), path.extname(options.export) === '.gz' ? new Uint8Array(gzipSync(html)) : html);
            } catch (e) {
              failure ??= `open ${options.export}: ${errnoText(e)}`;
            }
          }
        }
        await server?.close(!aborted);
        return failure;
      })();
      return stopped;
    },
    release: () => server?.release() ?? false,
  };
}
