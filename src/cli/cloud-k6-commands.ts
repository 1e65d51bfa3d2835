// `stampede cloud …`, shaped like `k6 cloud …` (k6 internal/cmd/cloud*.go) so that CI jobs written for
// k6 cloud run unchanged against a Stampede server: `run` and `upload` with k6 run's option flags,
// `login` with k6's flags, and the `project`, `test` and `load-zone` lists. Errors are k6's lines
// (level=error msg=…) with its exit codes: 104 bad flags or options, 107 script error, 97/98/99 the
// run's end, 255 (k6's -1) for anything else, a missing login included. The test checklist is
// test/k6-cloud-cli-parity.md.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { EngineError, EXIT_CODES, type EngineIo, type RunFlags } from '../engine/index.ts';
import { parseGoBool } from '../core/index.ts';
import { addOptionFlags, optionFlagsFrom, type OptionFlagValues } from './option-flags.ts';
import { processIo } from './process-io.ts';
import { withLoadedTest } from './command-load.ts';
import { configFileFlag } from './config-file-path.ts';
import { openLogSetup, writeLog, type LogLevelName } from './log-output.ts';
import { withExamples } from './help-examples.ts';
import { secretSourceFlags } from './secret-source-flag.ts';
import { BANNER, executionDescription } from './execution-description.ts';
import { ApiClient } from './cloud/api-client.ts';
import { cloudRun, type CloudRunOptions } from './cloud/cloud-run.ts';
import type { RunLogFollowerOptions } from './cloud/run-log-follower.ts';
import { CloudAuthError, loadCredentials, readSaved, saveCredentials, serverUrl, configPath, type Credentials } from './cloud/credentials.ts';
import { prepareUpload } from './cloud/prepare-script.ts';
import { displayWidth } from './cloud/table.ts';

/** What the cloud commands need from the process; tests pass their own. */
export interface CloudCommandHost {
  io: () => EngineIo;
  /** Ends the process once a command that loaded a script is done (VU 0's clients must not hold it open). */
  exit: (code: number) => void;
  onInterrupt: (handler: () => void) => void;
  sleep: (ms: number) => Promise<void>;
  /** The test for `cloud run -` / `cloud upload -`. */
  readStdin: () => Promise<Uint8Array>;
  pollMs?: number;
  /** How a followed run's log tail is reopened after a drop (tests shorten the waits). */
  logTail?: RunLogFollowerOptions;
}

export const processHost: CloudCommandHost = {
  io: () => processIo(),
  exit: (code) => process.exit(code),
  onInterrupt: (h) => void process.on('SIGINT', h).on('SIGTERM', h),
  sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  },
};

interface CloudTestCliOptions extends OptionFlagValues {
  localExecution?: boolean;
  linger?: boolean;
  usageReport?: boolean;
  archiveUpload?: boolean;
  cloudSecrets?: boolean;
  cloudLogs?: boolean;
  features?: string[];
  exitOnRunning?: boolean;
  showLogs?: boolean;
  detach?: boolean;
}

const SUBCOMMANDS = ['run', 'login', 'upload', 'project', 'test', 'load-zone', 'help'];

/**
 * The removed `k6 cloud script.js` form (k6 v1 ran it with a deprecation warning; k6 v2.2 prints the
 * help and exits 0, which would let a CI job pass without running anything): args after `cloud` that
 * name no subcommand get `run` inserted, and `warn` is told.
 */
export function legacyCloudArgs(args: readonly string[], warn: (msg: string) => void): string[] {
  if (args[0] !== 'cloud' || args.length < 2) return [...args];
  // A subcommand anywhere (`stampede -e X=1 cloud run x.js` arrives as `cloud -e X=1 run x.js`), or help.
  if (args.slice(1).some((a) => SUBCOMMANDS.includes(a) || a === '-h' || a === '--help')) return [...args];
  warn('Running tests directly with "stampede cloud <file>" is deprecated. Use "stampede cloud run <file>" instead (k6 v2 removed `k6 cloud <file>`).');
  return ['cloud', 'run', ...args.slice(1)];
}

function colorsOf(o: { color?: boolean }, env: Readonly<Record<string, string>>): boolean {
  return o.color !== false && (env.K6_NO_COLOR ?? '') === '' && env.NO_COLOR === undefined;
}

/** K6_SHOW_CLOUD_LOGS and K6_EXIT_ON_RUNNING (k6 parseCloudEnvOverrides): Go booleans when set. */
function cloudEnvOverrides(env: Readonly<Record<string, string>>): { showLogs?: boolean; exitOnRunning?: boolean } {
  const out: { showLogs?: boolean; exitOnRunning?: boolean } = {};
  for (const [name, key] of [['K6_SHOW_CLOUD_LOGS', 'showLogs'], ['K6_EXIT_ON_RUNNING', 'exitOnRunning']] as const) {
    const v = env[name];
    if (v === undefined) continue;
    const b = parseGoBool(v);
    if (b === undefined) throw new EngineError(EXIT_CODES.noExitCode, `parsing ${name} returned an error: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
    out[key] = b;
  }
  return out;
}

/** k6 cmdCloudRun.preRun: flags that only go with --local-execution, or not with it (104). */
function checkRunFlags(o: CloudTestCliOptions): string | undefined {
  if (o.localExecution === true) {
    if (o.exitOnRunning !== undefined) return 'the --local-execution flag is not compatible with the --exit-on-running flag';
    if (o.showLogs !== undefined) return 'the --local-execution flag is not compatible with the --show-logs flag';
    return undefined;
  }
  if (o.linger === true) return 'the --linger flag can only be used in conjunction with the --local-execution flag';
  if (o.cloudSecrets === false) return 'the --no-cloud-secrets flag can only be used in conjunction with the --local-execution flag';
  if (o.cloudLogs === false) return 'the --no-cloud-logs flag can only be used in conjunction with the --local-execution flag';
  return undefined;
}

/** K6_* variables that are not test options (login, logs, cloud-run switches). */
const NOT_OPTION_VARS = /^K6_(CLOUD_|SHOW_CLOUD_LOGS$|EXIT_ON_RUNNING$|NO_COLOR$|LOG_|CONFIG$|INCLUDE_SYSTEM_ENV_VARS$|FEATURES$|NO_USAGE_REPORT$)/;

/** No flag, config file or K6_* option variable took part: the file alone decides the test. */
function onlyTheFile(flags: RunFlags, o: CloudTestCliOptions, env: Readonly<Record<string, string>>): boolean {
  const given = Object.keys(flags).filter((k) => k !== 'env' && k !== 'includeSystemEnvVars');
  if (given.length > 0 || Object.keys(flags.env ?? {}).length > 0 || flags.includeSystemEnvVars === true) return false;
  const config = configFileFlag(o.config, env);
  if (config !== undefined && (!config.optional || existsSync(config.path))) return false;
  return !Object.keys(env).some((k) => k.startsWith('K6_') && !NOT_OPTION_VARS.test(k));
}

/** `cloud run` and `cloud upload`: load, check the login, upload, and (run) start and follow. */
export async function cloudTestCommand(script: string, o: CloudTestCliOptions, mode: 'run' | 'upload', host: CloudCommandHost): Promise<number> {
  const given = host.io();
  const setup = openLogSetup(o, given);
  if (typeof setup === 'number') return setup;
  const colors = colorsOf(o, given.env);
  const log = (level: LogLevelName, msg: string): void => writeLog(setup, level, msg, colors);
  const opts: CloudRunOptions = { quiet: o.quiet === true, detach: o.detach === true };
  try {
    if (mode === 'run') {
      const problem = checkRunFlags(o);
      if (problem !== undefined) throw new EngineError(EXIT_CODES.invalidConfig, problem);
    }
    if (mode === 'run' && o.localExecution === true) {
      // k6 reads K6_EXIT_ON_RUNNING and K6_SHOW_CLOUD_LOGS only for a run in the cloud.
      // Loaded only for --local-execution (it brings the results part's encoders).
      return await (await import('./cloud-local-execution.ts')).localExecutionCommand(script, o, host);
    }
    const env = cloudEnvOverrides(given.env);
    opts.exitOnRunning = o.exitOnRunning ?? env.exitOnRunning ?? false;
    // k6: the run's logs stream to the terminal unless --show-logs=false or K6_SHOW_CLOUD_LOGS=false.
    opts.showLogs = o.showLogs ?? env.showLogs ?? true;
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    log('error', e.message);
    return e.exitCode;
  }

  let fileOnly = false;
  // `-`: the script or archive comes from stdin, as `k6 cloud run - < script.js`.
  const stdin = script === '-' ? await host.readStdin() : undefined;
  const loaded = await withLoadedTest(stdin === undefined ? script : { name: 'stdin', data: stdin }, o, given,
    (io) => {
      const flags: RunFlags = { ...optionFlagsFrom(o, io.env, false), ...secretSourceFlags(o, io.env) };
      if (o.features !== undefined) flags.features = o.features;
      // before the load adds the global flags (log format, config) to them
      fileOnly = onlyTheFile(flags, o, io.env);
      return flags;
    },
    async (test) => ({ prepared: await prepareUpload(stdin ?? script, test, fileOnly), plan: test.plan }));
  if (typeof loaded === 'number') return loaded;
  const { prepared, plan } = loaded.value;

  let creds: Credentials;
  try {
    const cloud = prepared.options.cloud;
    creds = await loadCredentials(given.env as NodeJS.ProcessEnv, 'Running cloud tests requires auth settings', typeof cloud === 'object' && cloud !== null ? cloud : {});
  } catch (e) {
    if (!(e instanceof CloudAuthError)) throw e;
    log('error', e.message);
    return EXIT_CODES.noExitCode;
  }
  if (o.quiet !== true) given.stdout.write(`${BANNER}\n`);
  const shown = path.relative(given.cwd, path.resolve(given.cwd, script)) || script;
  try {
    const name = given.env.K6_CLOUD_NAME;
    return await cloudRun(script, prepared, { ...opts, uploadOnly: mode === 'upload', ...(name !== undefined && name !== '' && { name }) }, {
      client: new ApiClient(creds),
      creds,
      out: (s) => given.stdout.write(s),
      log,
      runLog: (level, msg, fields, time) => writeLog(setup, level, msg, colors, fields, time),
      describe: o.quiet === true ? undefined : (output) => executionDescription({ execution: 'cloud', script: shown, output, plan }),
      onInterrupt: host.onInterrupt,
      sleep: host.sleep,
      ...(host.pollMs !== undefined && { pollMs: host.pollMs }),
      ...(host.logTail !== undefined && { logTail: host.logTail }),
    });
  } catch (e) {
    log('error', (e as Error).message);
    return EXIT_CODES.noExitCode;
  }
}

function addCloudTestFlags(cmd: Command): Command {
  return addOptionFlags(cmd);
}

/** Registers `stampede cloud` and its subcommands. */
export function registerK6CloudCommands(program: Command, host: CloudCommandHost = processHost): Command {
  const cloud = program
    .command('cloud')
    .description('Run and manage tests on a Stampede server, like `k6 cloud` (run, upload, login, project, test, load-zone)')
    // The parent's own flags (none but help) must not take a subcommand's.
    .enablePositionalOptions()
    .action((_o: unknown, cmd: Command) => {
      cmd.outputHelp();
    });
  withExamples(cloud, [
    ['Authenticate with the Stampede server', 'stampede cloud login --token $TOKEN --stack 1'],
    ['Run a test script on the server', 'stampede cloud run script.js'],
    ['Run a test archive on the server', 'stampede cloud run archive.tar'],
  ]);

  const runAction = (mode: 'run' | 'upload') => async (script: string, _o: unknown, cmd: Command): Promise<void> => {
    const code = await cloudTestCommand(script, cmd.optsWithGlobals<CloudTestCliOptions>(), mode, host);
    process.exitCode = code;
    host.exit(code);
  };

  const run = cloud
    .command('run')
    .description('Run a test on the Stampede server (upload as a k6 archive with the consolidated options, start, follow); exits 0 passed, 99 thresholds crossed, 97 test failed')
    .argument('<script>', 'script file (.js, .ts) or k6 archive (.tar); - reads it from stdin');
  addCloudTestFlags(run)
    .option('--local-execution', 'executes the test locally (as `stampede run`) and records it as a run on the server')
    .option('-l, --linger', 'only when using the local-execution mode, keeps the API server alive past the test end')
    .option('--no-usage-report', "accepted as k6's flag: Stampede never sends usage reports")
    .option('--no-archive-upload', "only when using the local-execution mode, don't upload the test archive to the server (also K6_NO_ARCHIVE_UPLOAD)")
    .option('--no-cloud-secrets', 'only when using the local-execution mode; accepted: the server has no secrets store, so there is no cloud secret source to leave out')
    .option('--no-cloud-logs', "only when using the local-execution mode, don't push logs to the server")
    .option('--features <names>', 'enable feature flags, comma-separated (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--exit-on-running', 'exit when the test reaches the running status (also K6_EXIT_ON_RUNNING)')
    .addOption(new Option('--no-exit-on-running').hideHelp())
    .option('--show-logs', "print the test run's logs as they come (default; also K6_SHOW_CLOUD_LOGS)")
    .addOption(new Option('--no-show-logs').hideHelp())
    .option('--detach', 'return as soon as the run has started (Stampede only)')
    .action(runAction('run'));
  withExamples(run, [
    ['Run a test script on the server you logged in to.', 'stampede cloud run script.js'],
    ['Run it with 10 VUs for 30s, whatever the script says.', 'stampede cloud run -u 10 -d 30s script.js'],
    ['Run a test archive.', 'stampede cloud run archive.tar'],
    ['Return once the test is running.', 'stampede cloud run --exit-on-running script.js'],
    ['Run the test on this machine and record it as a run on the server.', 'stampede cloud run --local-execution script.js'],
    ['Read a test script or archive from stdin.', 'stampede cloud run - < script.js'],
  ]);

  const upload = cloud
    .command('upload')
    .description('Upload a test to the Stampede server without running it')
    .argument('<script>', 'script file (.js, .ts) or k6 archive (.tar); - reads it from stdin');
  addCloudTestFlags(upload).action(runAction('upload'));
  withExamples(upload, [['Upload a test without running it', 'stampede cloud upload script.js']]);

  registerCloudLogin(cloud, host);
  registerCloudLists(cloud, host);
  return cloud;
}

/** k6 maskToken: first and last four characters of a token of 12 or more, else all stars. */
export function maskToken(token: string): string {
  if (token.length < 12) return '*'.repeat(token.length);
  return token.slice(0, 4) + '*'.repeat(token.length - 8) + token.slice(-4);
}

/** k6 normalizeStackURL: a URL keeps its scheme and host; a slug becomes https://<slug>.grafana.net. */
export function normalizeStackUrl(input: string): string {
  try {
    const u = new URL(input);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '') return `${u.protocol}//${u.host}`;
  } catch {
    // a slug
  }
  const slug = input.length > '.grafana.net'.length && input.endsWith('.grafana.net') ? input.slice(0, -'.grafana.net'.length) : input;
  return `https://${slug}.grafana.net`;
}

function printLogin(out: (s: string) => void, c: Partial<Credentials>): void {
  const notSet = '<not set>';
  out(`  token: ${c.token ? maskToken(c.token) : notSet}\n`);
  out(`  stack-id: ${c.stackId ?? notSet}\n`);
  out(`  stack-url: ${c.stackUrl ?? notSet}\n`);
  out(`  default-project-id: ${c.defaultProjectId ?? notSet}\n`);
  out(`  server: ${c.url ?? notSet}\n`);
}

/** A command body whose errors are k6's log line and exit code 255. */
function k6Action<A extends unknown[]>(host: CloudCommandHost, fn: (io: EngineIo, ...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const io = host.io();
    try {
      await fn(io, ...args);
    } catch (e) {
      const cmd = args[args.length - 1] as Command;
      const o = cmd.optsWithGlobals<{ color?: boolean; logOutput?: string; logFormat?: string }>();
      const setup = openLogSetup(o, io);
      if (typeof setup !== 'number') writeLog(setup, 'error', (e as Error).message, colorsOf(o, io.env));
      process.exitCode = EXIT_CODES.noExitCode;
    }
  };
}

function registerCloudLogin(cloud: Command, host: CloudCommandHost): void {
  const login = cloud
    .command('login')
    .description('Authenticate with the Stampede server (saved with mode 0600 where `stampede login` saves it)')
    .option('-t, --token <token>', 'specify `token` to use')
    .option('-s, --show', 'display saved token, stack info and exit')
    .option('-r, --reset', 'reset stored token and stack info')
    .option('--stack <stack>', 'the stack (URL or slug; `1` or `https://1.grafana.net` names stack 1, a name its slug)')
    .option('--url <url>', 'server URL (default: STAMPEDE_URL, K6_CLOUD_HOST_V6, the saved one, http://127.0.0.1:8060)')
    .action(k6Action(host, async (io, o: { token?: string; show?: boolean; reset?: boolean; stack?: string; url?: string }) => {
      const env = io.env as NodeJS.ProcessEnv;
      const out = (s: string): void => io.stdout.write(s);
      const saved = await readSaved(env);
      if (o.reset === true) {
        const kept: Partial<Credentials> = saved.url === undefined ? {} : { url: saved.url };
        await saveCredentials(env, kept);
        out('\nToken and stack info have been reset.\n');
        return;
      }
      if (o.show === true) {
        printLogin(out, saved);
        return;
      }
      if (o.token === undefined && o.stack === undefined) {
        throw new Error('interactive login is not supported: pass --token and --stack (k6 prompts for them)');
      }
      if (o.stack === undefined || o.stack === '') throw new Error('stack value is required but it was not passed or is empty');
      if (o.token === undefined || o.token === '') throw new Error('token value is required but it was not passed or is empty');
      const url = (o.url ?? serverUrl(env, saved)).replace(/\/+$/, '');
      const stackUrl = normalizeStackUrl(o.stack);
      let auth: { stack_id: number; default_project_id: number };
      try {
        auth = await new ApiClient({ url, token: o.token, stackId: '' }).json('/cloud/v6/auth', { headers: { 'X-Stack-Url': stackUrl } });
      } catch (e) {
        throw new Error(`Authentication failed as provided token or stack might not be valid. Server error for details: ${(e as Error).message}`, { cause: e });
      }
      const creds: Credentials = { url, token: o.token, stackId: String(auth.stack_id), stackUrl, defaultProjectId: auth.default_project_id };
      await saveCredentials(env, creds);
      out(`\nLogged in successfully, token and stack info saved in ${configPath(env)}\n`);
      if (login.optsWithGlobals<{ quiet?: boolean }>().quiet !== true) printLogin(out, creds);
    }));
  withExamples(login, [
    ['Store a token and set the stack', 'stampede cloud login -t <YOUR_TOKEN> --stack <STACK_ID_OR_SLUG> --url http://127.0.0.1:8060'],
    ['Display the stored token and stack info', 'stampede cloud login -s'],
    ['Reset the stored token and stack info', 'stampede cloud login -r'],
  ]);
}

interface ListItem { [key: string]: unknown }

/** tabwriter with padding 3, as k6's lists print; widths in terminal cells (CJK and emoji take two). */
function tabTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const fmt = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) + 3 - displayWidth(c)))).join('');
  return [fmt(headers), ...rows.map(fmt)].join('\n') + '\n';
}

function stackName(c: Credentials): string {
  return c.stackUrl ?? `stack-${c.stackId}`;
}

/** k6's `2006-01-02 15:04` in UTC. */
function minuteUtc(iso: unknown): string {
  const d = new Date(String(iso));
  return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().slice(0, 16).replace('T', ' ');
}

function registerCloudLists(cloud: Command, host: CloudCommandHost): void {
  const client = async (io: EngineIo, prefix: string): Promise<[ApiClient, Credentials]> => {
    const creds = await loadCredentials(io.env as NodeJS.ProcessEnv, prefix);
    return [new ApiClient(creds), creds];
  };
  const json = (io: EngineIo, v: unknown): void => io.stdout.write(JSON.stringify(v, null, 2) + '\n');

  const project = cloud.command('project').description('Work with the server\'s projects');
  project.command('list').description('List the projects of the configured stack').option('--json', 'output project list in JSON format')
    .action(k6Action(host, async (io, o: { json?: boolean }) => {
      const [c, creds] = await client(io, 'Listing cloud projects requires auth settings');
      const all = (await c.all<ListItem>('/cloud/v6/projects')).map((p) => ({ id: p.id, name: p.name, is_default: p.is_default === true }));
      if (o.json === true) return json(io, all);
      const header = `Projects for ${stackName(creds)}:\n\n`;
      if (all.length === 0) return void io.stdout.write(`${header}No projects found.\nTo create a project: stampede projects create NAME\n`);
      io.stdout.write(header + tabTable(['ID', 'NAME', 'DEFAULT'], all.map((p) => [String(p.id), String(p.name), p.is_default ? 'yes' : 'no'])));
    }));

  const test = cloud.command('test').description('Work with the server\'s load tests');
  test.command('list').description('List the load tests of a project').option('--project-id <id>', 'ID of the project to list tests for; defaults to the configured project').option('--json', 'output test list in JSON format')
    .action(k6Action(host, async (io, o: { projectId?: string; json?: boolean }) => {
      const [c, creds] = await client(io, 'Listing cloud tests requires auth settings');
      let projectId: number | undefined;
      if (o.projectId !== undefined) {
        projectId = Number(o.projectId);
        if (!Number.isInteger(projectId) || projectId <= 0) throw new Error('no project specified. Use --project-id, set K6_CLOUD_PROJECT_ID, or run `stampede cloud login` to set a default project');
      }
      projectId ??= creds.projectId;
      if (projectId === undefined) {
        projectId = creds.defaultProjectId ?? (await c.json<{ default_project_id: number }>('/cloud/v6/auth')).default_project_id;
        const setup = openLogSetup({}, io);
        if (typeof setup !== 'number') writeLog(setup, 'warn', `No projectID specified, using default project of the ${stackName(creds)} stack`, colorsOf({}, io.env));
      }
      const all = (await c.all<ListItem>(`/cloud/v6/projects/${projectId}/load_tests`)).map((t) => ({ id: t.id, project_id: t.project_id, name: t.name, created: t.created, updated: t.updated }));
      if (o.json === true) return json(io, all);
      const header = `Tests in project ${projectId}:\n\n`;
      if (all.length === 0) return void io.stdout.write(`${header}No tests found.\nTo create a test: stampede cloud upload script.js\n`);
      io.stdout.write(header + tabTable(['ID', 'NAME', 'CREATED', 'UPDATED'], all.map((t) => [String(t.id), String(t.name), minuteUtc(t.created), minuteUtc(t.updated)])));
    }));

  const zone = cloud.command('load-zone').description('Work with the server\'s load zones');
  zone.command('list').description('List the load zones of the configured stack').option('--json', 'output load zone list in JSON format')
    .action(k6Action(host, async (io, o: { json?: boolean }) => {
      const [c, creds] = await client(io, 'Listing cloud load zones requires auth settings');
      const all = (await c.all<ListItem>('/cloud/v6/load_zones')).map((z) => ({ id: z.id, k6_load_zone_id: z.k6_load_zone_id, name: z.name, public: z.public === true, available: z.available === true }));
      if (o.json === true) return json(io, all);
      const header = `Load zones for ${stackName(creds)}:\n\n`;
      if (all.length === 0) return void io.stdout.write(`${header}No load zones found.\n`);
      io.stdout.write(header + tabTable(['ID', 'NAME', 'TYPE', 'AVAILABLE'], all.map((z) => [String(z.k6_load_zone_id), String(z.name), z.public ? 'public' : 'private', z.available ? 'yes' : 'no'])));
    }));
}
