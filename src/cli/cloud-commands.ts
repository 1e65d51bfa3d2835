// The API client commands: `stampede login`, `stampede cloud …` (cloud-k6-commands.ts), `stampede runs|tests|schedules|projects …`.
import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { isFinalStatus, isRunStatus } from '../domain/index.ts';
import type { SummaryMode } from '../results/index.ts';
import { ApiClient, ApiError } from './cloud/api-client.ts';
import { loadCredentials, saveCredentials } from './cloud/credentials.ts';
import { RunLogFollower, type RunLogItem } from './cloud/run-log-follower.ts';
import { renderTable } from './cloud/table.ts';
import { processHost, registerK6CloudCommands, type CloudCommandHost } from './cloud-k6-commands.ts';
import { withExamples } from './help-examples.ts';

interface Row { [key: string]: unknown }

/**
 * The summary layouts the server offers (`summary_mode`). Written out rather than imported: the
 * results part's entry loads the store and its drivers, which no client command needs. The type
 * check keeps the list equal to the results part's.
 */
const SUMMARY_MODES = ['compact', 'full'] as const satisfies readonly SummaryMode[];
type Missing = Exclude<SummaryMode, (typeof SUMMARY_MODES)[number]>;
const allModesListed: [Missing] extends [never] ? true : Missing = true;
void allModesListed;

async function client(): Promise<ApiClient> {
  return new ApiClient(await loadCredentials(process.env));
}

function print(json: boolean, value: unknown, headers: string[], rows: () => unknown[][]): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : renderTable(headers, rows()));
}

/** Runs a command body; API errors become one clear line and exit code 1. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const msg = err instanceof ApiError ? err.message : err instanceof Error ? err.message : String(err);
      process.stderr.write(`stampede: ${msg}\n`);
      process.exitCode = 1;
    }
  };
}

function runRows(runs: Row[]): unknown[][] {
  return runs.map((r) => [r.id, r.test_id, r.status, r.result, r.max_vus, r.estimated_duration, (r.cost as Row | null)?.total_vuh, r.created, r.is_starred ? '★' : '', r.note]);
}
const RUN_HEADERS = ['ID', 'TEST', 'STATUS', 'RESULT', 'VUS', 'EST(s)', 'VUH', 'CREATED', 'STAR', 'NOTE'];

/** A schedule's timing in a few words: `once at …`, `cron "0 2 * * *" Europe/Berlin`, `every 2 hours from …, 10 times`. */
function scheduleRule(s: Row): string {
  const cron = s.cron as { schedule: string; time_zone: string } | null;
  if (cron !== null) return `cron "${cron.schedule}" ${cron.time_zone}`;
  const rule = s.recurrence_rule as { frequency: string; interval: number; byday: string[] | null; until: string | null; count: number | null } | null;
  if (rule === null) return `once at ${String(s.starts)}`;
  const unit = { HOURLY: 'hour', DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' }[rule.frequency] ?? rule.frequency;
  const every = rule.interval === 1 ? `every ${unit}` : `every ${rule.interval} ${unit}s`;
  const on = rule.byday === null ? '' : ` on ${rule.byday.join(',')}`;
  const ends = `${rule.count === null ? '' : `, ${rule.count} times`}${rule.until === null ? '' : `, until ${rule.until}`}`;
  return `${every}${on} from ${String(s.starts)}${ends}`;
}

export function registerCloudCommands(program: Command, host: CloudCommandHost = processHost): void {
  const login = program
    .command('login')
    .description('store the API URL, token and stack id for the client commands (file mode 0600)')
    .requiredOption('--token <token>', 'API token')
    .requiredOption('--stack <id>', 'stack id (X-Stack-Id)')
    .option('--url <url>', 'server URL', 'http://127.0.0.1:8060')
    .action(action(async (o: { token: string; stack: string; url: string }) => {
      const creds = { url: o.url.replace(/\/+$/, ''), token: o.token, stackId: o.stack };
      const auth = await new ApiClient(creds).json<{ stack_id: number; default_project_id: number }>('/cloud/v6/auth', { headers: { 'X-Stack-Url': creds.url } });
      const file = await saveCredentials(process.env, creds);
      process.stdout.write(`logged in to stack ${auth.stack_id} (default project ${auth.default_project_id}); saved to ${file}\n`);
    }));

  withExamples(login, [
    ['Log in to a local server as stack 1.', 'stampede login --url http://127.0.0.1:8060 --token $TOKEN --stack 1'],
  ]);

  registerK6CloudCommands(program, host);

  const runs = program.command('runs').description('test runs: list, get, abort, note, star, save, script, delete, summary, logs');
  runs.command('list').option('--test <id>', 'only runs of this load test').option('--json', 'JSON output')
    .action(action(async (o: { test?: string; json?: boolean }) => {
      const c = await client();
      const all = await c.all<Row>(o.test ? `/cloud/v6/load_tests/${encodeURIComponent(o.test)}/test_runs` : '/cloud/v6/test_runs');
      print(o.json === true, all, RUN_HEADERS, () => runRows(all));
    }));
  runs.command('get <id>').option('--json', 'JSON output').action(action(async (id: string, o: { json?: boolean }) => {
    const run = await (await client()).json<Row>(`/cloud/v6/test_runs/${encodeURIComponent(id)}`);
    print(o.json === true, run, RUN_HEADERS, () => runRows([run]));
  }));
  const simple: Array<[string, string, string]> = [
    ['abort', 'POST', 'abort'], ['star', 'POST', 'star'], ['unstar', 'POST', 'unstar'], ['save', 'POST', 'save'], ['unsave', 'POST', 'unsave'],
  ];
  for (const [name, method, suffix] of simple) {
    runs.command(`${name} <id>`).action(action(async (id: string) => {
      await (await client()).raw(`/cloud/v6/test_runs/${encodeURIComponent(id)}/${suffix}`, { method });
      process.stdout.write(`test run ${id}: ${name} done\n`);
    }));
  }
  runs.command('note <id> <text>').action(action(async (id: string, text: string) => {
    await (await client()).raw(`/cloud/v6/test_runs/${encodeURIComponent(id)}`, { method: 'PATCH', body: { note: text } });
    process.stdout.write(`test run ${id}: note saved\n`);
  }));
  runs.command('delete <id>').action(action(async (id: string) => {
    await (await client()).raw(`/cloud/v6/test_runs/${encodeURIComponent(id)}`, { method: 'DELETE' });
    process.stdout.write(`test run ${id} deleted\n`);
  }));
  runs.command('script <id>').description('print the exact script the run was started with').action(action(async (id: string) => {
    const res = await (await client()).raw(`/cloud/v6/test_runs/${encodeURIComponent(id)}/script`, { accept: '*/*' });
    process.stdout.write(new Uint8Array(await res.arrayBuffer()));
  }));
  runs.command('summary <id>').description("print the run's end-of-test summary as k6 prints it")
    .addOption(new Option('--mode <mode>', "text layout, as k6's --summary-mode (full adds a section per group and per scenario)").choices(SUMMARY_MODES).default('compact'))
    .option('--json', 'JSON output (the handleSummary data and the text)')
    .action(action(async (id: string, o: { mode: SummaryMode; json?: boolean }) => {
      const s = await (await client()).json<{ text?: string }>(`/cloud/v6/test_runs/${encodeURIComponent(id)}/summary?summary_mode=${o.mode}`);
      process.stdout.write(o.json ? JSON.stringify(s, null, 2) + '\n' : s.text ?? '');
    }));

  runs.command('logs <id>').description("print the run's log lines (the script's console, the engine's warnings and errors)")
    .option('--follow', 'keep printing new lines as they are logged (over the server\'s live tail) until the run has ended')
    .option('--json', 'one JSON object per line (id, time, level, message, labels)')
    .action(action(async (id: string, o: { follow?: boolean; json?: boolean }) => {
      const c = await client();
      const path = `/cloud/v6/test_runs/${encodeURIComponent(id)}`;
      const print = (line: RunLogItem) => process.stdout.write(o.json === true ? `${JSON.stringify(line)}\n` : `${line.time} ${line.level.padEnd(7)} ${line.message}${Object.entries(line.labels).filter(([k]) => k !== 'test_run_id').map(([k, v]) => ` ${k}=${v}`).join('')}\n`);
      if (o.follow !== true) {
        for (let after = 0; ;) {
          const page = await c.json<{ value: RunLogItem[]; '@nextLink'?: string }>(`${path}/logs?after=${after}&limit=5000`);
          for (const line of page.value) {
            after = Math.max(after, line.id);
            print(line);
          }
          if (page['@nextLink'] === undefined) return;
        }
      }
      const run = Number((await c.json<{ id: unknown }>(path)).id);
      const follower = new RunLogFollower(c, run, print, (msg) => process.stderr.write(`stampede: ${msg}\n`), host.logTail ?? {});
      await follower.poll();
      await follower.start();
      try {
        for (;;) {
          await follower.poll();
          const { status } = await c.json<{ status: unknown }>(path);
          if (!isRunStatus(status) || isFinalStatus(status)) break;
          await host.sleep(host.pollMs ?? 1000);
        }
      } finally {
        await follower.stop();
      }
    }));

  const tests = program.command('tests').description('load tests: list, get, script, delete');
  tests.command('list').option('--project <id>', 'only this project').option('--json', 'JSON output')
    .action(action(async (o: { project?: string; json?: boolean }) => {
      const all = await (await client()).all<Row>(o.project ? `/cloud/v6/projects/${encodeURIComponent(o.project)}/load_tests` : '/cloud/v6/load_tests');
      print(o.json === true, all, ['ID', 'PROJECT', 'NAME', 'CREATED', 'UPDATED'], () => all.map((t) => [t.id, t.project_id, t.name, t.created, t.updated]));
    }));
  tests.command('get <id>').option('--json', 'JSON output').action(action(async (id: string, o: { json?: boolean }) => {
    const t = await (await client()).json<Row>(`/cloud/v6/load_tests/${encodeURIComponent(id)}`);
    print(o.json === true, t, ['ID', 'PROJECT', 'NAME', 'CREATED', 'UPDATED'], () => [[t.id, t.project_id, t.name, t.created, t.updated]]);
  }));
  tests.command('script <id>').action(action(async (id: string) => {
    const res = await (await client()).raw(`/cloud/v6/load_tests/${encodeURIComponent(id)}/script`, { accept: '*/*' });
    process.stdout.write(new Uint8Array(await res.arrayBuffer()));
  }));
  tests.command('delete <id>').action(action(async (id: string) => {
    await (await client()).raw(`/cloud/v6/load_tests/${encodeURIComponent(id)}`, { method: 'DELETE' });
    process.stdout.write(`load test ${id} deleted\n`);
  }));
  tests.command('upload <project> <name> <script>').description('create a load test from a JS file or k6 archive')
    .action(action(async (project: string, name: string, file: string) => {
      const bytes = await readFile(file);
      const form = new FormData();
      form.set('name', name);
      form.set('script', new Blob([bytes]), file);
      const t = await (await client()).json<Row>(`/cloud/v6/projects/${encodeURIComponent(project)}/load_tests`, { method: 'POST', form });
      process.stdout.write(`load test ${String(t.id)} created\n`);
    }));

  const schedules = program.command('schedules').description('schedules that start load tests by themselves: list, get, set, activate, deactivate, delete');
  const SCHEDULE_HEADERS = ['ID', 'TEST', 'WHEN', 'NEXT RUN', 'ACTIVE', 'BY'];
  const scheduleRows = (all: Row[]) => all.map((s) => [s.id, s.load_test_id, scheduleRule(s), s.next_run ?? 'expired', s.deactivated ? 'no' : 'yes', s.created_by]);
  schedules.command('list').option('--json', 'JSON output').action(action(async (o: { json?: boolean }) => {
    const all = await (await client()).all<Row>('/cloud/v6/schedules');
    print(o.json === true, all, SCHEDULE_HEADERS, () => scheduleRows(all));
  }));
  schedules.command('get <test>').description("the load test's schedule").option('--json', 'JSON output').action(action(async (test: string, o: { json?: boolean }) => {
    const s = await (await client()).json<Row>(`/cloud/v6/load_tests/${encodeURIComponent(test)}/schedule`);
    print(o.json === true, s, SCHEDULE_HEADERS, () => scheduleRows([s]));
  }));
  const set = schedules.command('set <test>')
    .description("set the load test's schedule (replacing any): once at --starts, by a cron expression, or every --every unit")
    .option('--starts <date-time>', 'when the schedule starts, with its UTC offset (default with --cron or --every: now)')
    .option('--cron <expression>', 'a 5-field cron expression, or @hourly, @daily, @weekly, @monthly, @yearly')
    .option('--time-zone <zone>', 'the IANA time zone of --cron', 'UTC')
    .addOption(new Option('--every <unit>', 'repeat every --interval units').choices(['hourly', 'daily', 'weekly', 'monthly', 'yearly']))
    .option('--interval <n>', 'units between runs', '1')
    .option('--on <days>', 'with --every weekly: the weekdays, as MO,TU,WE,TH,FR,SA,SU')
    .option('--count <n>', 'stop after this many runs')
    .option('--until <date-time>', 'stop after this time')
    .option('--json', 'JSON output')
    .action(action(async (test: string, o: { starts?: string; cron?: string; timeZone: string; every?: string; interval: string; on?: string; count?: string; until?: string; json?: boolean }) => {
      if (o.cron !== undefined && o.every !== undefined) throw new Error('give either --cron or --every, not both');
      if (o.cron === undefined && o.every === undefined && o.starts === undefined) throw new Error('give --starts for a run at one time, or --cron or --every for repeated runs (to start a run now: stampede cloud run, or POST /cloud/v6/load_tests/{id}/start)');
      const rule = o.every === undefined ? null : {
        frequency: o.every.toUpperCase(),
        interval: Number(o.interval),
        ...(o.on !== undefined && { byday: o.on.split(',').map((d) => d.trim().toUpperCase()) }),
        ...(o.count !== undefined && { count: Number(o.count) }),
        ...(o.until !== undefined && { until: o.until }),
      };
      const body = { starts: o.starts ?? new Date().toISOString(), ...(rule !== null && { recurrence_rule: rule }), ...(o.cron !== undefined && { cron: { schedule: o.cron, time_zone: o.timeZone } }) };
      const s = await (await client()).json<Row>(`/cloud/v6/load_tests/${encodeURIComponent(test)}/schedule`, { method: 'POST', body });
      print(o.json === true, s, SCHEDULE_HEADERS, () => scheduleRows([s]));
    }));
  withExamples(set, [
    ['Run load test 7 every night at 02:00 Berlin time.', "stampede schedules set 7 --cron '0 2 * * *' --time-zone Europe/Berlin"],
    ['Run it every Monday and Thursday at 06:00 UTC, ten times.', 'stampede schedules set 7 --starts 2026-12-01T06:00:00Z --every weekly --on MO,TH --count 10'],
    ['Run it once, tomorrow at noon UTC.', 'stampede schedules set 7 --starts 2026-12-02T12:00:00Z'],
  ]);
  for (const name of ['activate', 'deactivate'] as const) {
    schedules.command(`${name} <id>`).action(action(async (id: string) => {
      await (await client()).raw(`/cloud/v6/schedules/${encodeURIComponent(id)}/${name}`, { method: 'POST' });
      process.stdout.write(`schedule ${id}: ${name}d\n`);
    }));
  }
  schedules.command('delete <id>').action(action(async (id: string) => {
    await (await client()).raw(`/cloud/v6/schedules/${encodeURIComponent(id)}`, { method: 'DELETE' });
    process.stdout.write(`schedule ${id} deleted\n`);
  }));

  const projects = program.command('projects').description('projects: list, get, create, rename, delete, limits');
  const PROJECT_HEADERS = ['ID', 'NAME', 'DEFAULT', 'CREATED'];
  const projectRows = (ps: Row[]) => ps.map((p) => [p.id, p.name, p.is_default ? 'yes' : '', p.created]);
  projects.command('list').option('--json', 'JSON output').action(action(async (o: { json?: boolean }) => {
    const all = await (await client()).all<Row>('/cloud/v6/projects');
    print(o.json === true, all, PROJECT_HEADERS, () => projectRows(all));
  }));
  projects.command('get <id>').option('--json', 'JSON output').action(action(async (id: string, o: { json?: boolean }) => {
    const p = await (await client()).json<Row>(`/cloud/v6/projects/${encodeURIComponent(id)}`);
    print(o.json === true, p, PROJECT_HEADERS, () => projectRows([p]));
  }));
  projects.command('create <name>').option('--json', 'JSON output').action(action(async (name: string, o: { json?: boolean }) => {
    const p = await (await client()).json<Row>('/cloud/v6/projects', { method: 'POST', body: { name } });
    print(o.json === true, p, PROJECT_HEADERS, () => projectRows([p]));
  }));
  projects.command('rename <id> <name>').action(action(async (id: string, name: string) => {
    await (await client()).raw(`/cloud/v6/projects/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } });
    process.stdout.write(`project ${id} renamed\n`);
  }));
  projects.command('delete <id>').action(action(async (id: string) => {
    await (await client()).raw(`/cloud/v6/projects/${encodeURIComponent(id)}`, { method: 'DELETE' });
    process.stdout.write(`project ${id} deleted\n`);
  }));
  projects.command('limits <id>').option('--json', 'JSON output').action(action(async (id: string, o: { json?: boolean }) => {
    const l = await (await client()).json<Row>(`/cloud/v6/projects/${encodeURIComponent(id)}/limits`);
    print(o.json === true, l, Object.keys(l), () => [Object.values(l)]);
  }));
}
