// `stampede cloud run --local-execution script.js`: `stampede run` (same engine, flags, progress,
// summary and exit codes) whose results are recorded as a run on the Stampede server, as `k6 cloud
// run --local-execution` records a run in Grafana Cloud k6 (k6 internal/cmd/cloud_run.go: the run
// command with the cloud output forced). The protocol is in cloud/local-execution.ts.
import * as path from 'node:path';
import { EngineError, EXIT_CODES, type LoadedTest, type EngineIo } from '../engine/index.ts';
import { parseGoBool } from '../core/index.ts';
import { ApiClient } from './cloud/api-client.ts';
import { CloudAuthError, loadCredentials } from './cloud/credentials.ts';
import { resolveProject } from './cloud/cloud-run.ts';
import {
  CloudLogPusher, CloudMetricsOutput, notifyCompleted, notifyErrorFor, provisionLocalExecution,
} from './cloud/local-execution.ts';
import { runCommand, type RunAttachment, type RunCliOptions, type RunLogFn } from './run-command.ts';
import type { OptionFlagValues } from './option-flags.ts';

export interface LocalExecutionFlags extends OptionFlagValues {
  linger?: boolean;
  archiveUpload?: boolean;
  cloudLogs?: boolean;
  cloudSecrets?: boolean;
  features?: string[];
}

export interface LocalExecutionHost {
  io: () => EngineIo;
  sleep: (ms: number) => Promise<void>;
  readStdin: () => Promise<Uint8Array>;
  /** Between status polls while waiting for `initializing` (k6: 2 s). */
  pollMs?: number;
}

/** The system tags k6's cloud output needs (validateRequiredSystemTags). */
const REQUIRED_SYSTEM_TAGS = ['name', 'method', 'status', 'error', 'check', 'group'];

const DEFAULT_TEST_NAME = 'k6 test';

function cloudOptions(options: Record<string, unknown>): Record<string, unknown> {
  const cloud = options.cloud;
  return typeof cloud === 'object' && cloud !== null ? (cloud as Record<string, unknown>) : {};
}

/** k6 resolveCloudTestName: K6_CLOUD_NAME, options.cloud.name, else the script's file name; "-" is k6's default name. */
function testName(script: string, options: Record<string, unknown>, env: Readonly<Record<string, string>>): string {
  const fromOptions = cloudOptions(options).name;
  let name = env.K6_CLOUD_NAME ?? (typeof fromOptions === 'string' ? fromOptions : '');
  if (name === '') name = path.basename(script);
  return name === '-' ? DEFAULT_TEST_NAME : name;
}

/** k6 lib.GetEndOffset: whether the plan ends (an externally-controlled scenario never does). */
function planEnds(test: LoadedTest): boolean {
  const last = test.plan.steps[test.plan.steps.length - 1];
  return last === undefined || (last.plannedVUs === 0 && last.maxUnplannedVUs === 0);
}

/** --no-archive-upload, else K6_NO_ARCHIVE_UPLOAD (a Go bool). */
function noArchiveUpload(o: LocalExecutionFlags, env: Readonly<Record<string, string>>): boolean {
  if (o.archiveUpload === false) return true;
  const v = env.K6_NO_ARCHIVE_UPLOAD;
  return v !== undefined && parseGoBool(v) === true;
}

export async function localExecutionCommand(script: string, o: LocalExecutionFlags, host: LocalExecutionHost): Promise<number> {
  const given = host.io();
  const logs = o.cloudLogs === false ? undefined : new CloudLogPusher({ sleep: host.sleep });
  const io: EngineIo = logs === undefined ? given : { ...given, logEntries: logs.entries };
  // `cloud run` has neither --out nor the summary flags of `run`: the run's defaults.
  const runOptions = { ...o, out: [], summary: true } as RunCliOptions;
  return runCommand(script, runOptions, {
    io,
    readStdin: host.readStdin,
    prepare: (file, test, runIo, log) => prepareCloudRun(file, test, runIo, log, o, host, logs),
  });
}

async function prepareCloudRun(
  script: string, test: LoadedTest, io: EngineIo, log: RunLogFn, o: LocalExecutionFlags, host: LocalExecutionHost, logs: CloudLogPusher | undefined,
): Promise<RunAttachment> {
  const options = JSON.parse(JSON.stringify(test.options)) as Record<string, unknown>;
  const cloud = cloudOptions(options);
  // What k6 sends: its consolidated lib.Options (the document of `inspect --execution-requirements`
  // without its two totals), plus noThresholds, which the server reads to judge no thresholds.
  const { totalDuration: _total, maxVUs: _max, ...sent } = test.inspect({ executionRequirements: true });
  if (options.noThresholds === true) sent.noThresholds = true;
  const env = io.env;
  let creds;
  try {
    creds = await loadCredentials(env as NodeJS.ProcessEnv, 'Running cloud tests requires auth settings', cloud);
  } catch (e) {
    if (e instanceof CloudAuthError) throw new EngineError(EXIT_CODES.noExitCode, e.message);
    throw e;
  }
  const failed = (e: unknown): Error => new Error(`could not create the cloud test run: ${(e as Error).message}`, { cause: e });
  const tags = Array.isArray(options.systemTags) ? (options.systemTags as string[]) : REQUIRED_SYSTEM_TAGS;
  const missing = REQUIRED_SYSTEM_TAGS.filter((t) => !tags.includes(t));
  if (missing.length > 0) throw failed(new Error(`the cloud output needs the following system tags enabled: ${missing.join(', ')}`));
  if (!planEnds(test)) throw failed(new Error('tests with unspecified duration are not allowed when outputting data to k6 cloud'));

  const client = new ApiClient(creds);
  const sleep = host.sleep;
  let provisioned;
  try {
    const projectId = await resolveProject({ client, creds, log }, options);
    const archive = noArchiveUpload(o, env) ? undefined : (await test.makeArchive()).data;
    provisioned = await provisionLocalExecution(
      { client, token: creds.token, stackId: creds.stackId, log, sleep, ...(host.pollMs !== undefined && { pollMs: host.pollMs }) },
      {
        name: testName(script, options, env),
        projectId,
        maxVus: test.plan.maxVUs,
        totalDurationS: Math.floor(test.plan.totalDurationMs / 1000),
        options: sent,
        ...(archive !== undefined && { archive }),
      },
    );
  } catch (e) {
    throw failed(e);
  }
  const { testRunId, runtime, detailsUrl } = provisioned;
  const metrics = new CloudMetricsOutput({ testRunId, runtime, log, sleep });
  logs?.configure(testRunId, runtime, log);
  return {
    output: `cloud (${detailsUrl})`,
    env: { K6_CLOUDRUN_TEST_RUN_ID: String(testRunId) },
    attach(running) {
      running.onMetrics((batch) => metrics.add(batch));
      metrics.start();
    },
    async finish(result, signal) {
      await metrics.stop();
      await logs?.drain();
      const reason = signal === undefined ? undefined : `test run was aborted because k6 received a '${signal}' signal`;
      try {
        await notifyCompleted(creds.url, testRunId, runtime.test_run_token, notifyErrorFor(result, reason), sleep, result.testRunDurationMs);
      } catch (e) {
        log('warn', 'Failed to send test finished to the cloud', { error: (e as Error).message });
      }
    },
  };
}
