// `stampede deps script.js`: `k6 deps` (internal/cmd/deps.go). The test's modules are loaded without
// running anything, and its dependencies printed: the build dependencies (k6 and the extensions, with
// the constraints of `"use k6 …"` directives, K6_DEPENDENCIES_MANIFEST filling in the unconstrained),
// the imports (k6 modules, files by URL; sorted) and whether a custom build is required, which for
// Stampede means: a module it does not provide, or a k6 constraint its k6 version does not meet.
// `--json` prints the same as k6's indented JSON. A script, an archive, or `-` (stdin). Errors are
// logged as `run` logs them, with k6's exit codes (107 script error, 255 where k6 attaches none).
import type { Command } from 'commander';
import { EngineError, loadTestDependencies, type EngineIo, type TestDependencies, type TestInput } from '../engine/index.ts';
import { addIncludeSystemEnvVarsFlag, collect } from './option-flags.ts';
import { processIo } from './process-io.ts';
import { openLogSetup, writeLog } from './log-output.ts';
import { withExamples } from './help-examples.ts';

interface DepsCliOptions {
  json?: boolean;
  type?: string;
  logOutput?: string;
  logFormat?: string;
  color?: boolean;
}

export function registerDepsCommand(program: Command): void {
  const deps = program
    .command('deps')
    .description('Resolve and list the dependencies of a test, like `k6 deps`: the extensions and k6 version it needs, its imports, and whether Stampede can run it as it is')
    .argument('<script>', 'script file (.js, .ts) or k6 archive (.tar); - reads it from stdin')
    .option('--json', 'if set, output dependencies information will be in JSON format')
    .exitOverride();
  // k6's runtime option flags (runtimeOptionFlagSet(false)); only --type changes what deps reads.
  addIncludeSystemEnvVarsFlag(deps)
    .option('--compatibility-mode <mode>', 'JavaScript compatibility mode: "extended" (default) or "base"')
    .option('-t, --type <type>', 'read the test as "js" or "archive" instead of detecting it')
    .option('-e, --env <KEY=VALUE>', 'add an environment variable to __ENV (repeatable)', collect, [])
    .action(async (script: string, _opts: unknown, cmd: Command) => {
      process.exitCode = await depsCommand(script, cmd.optsWithGlobals<DepsCliOptions>(), processIo(), readStdin);
      process.exit(process.exitCode);
    });
  withExamples(deps, [
    ['List the dependencies of a script', 'stampede deps script.js'],
    ['The same as JSON', 'stampede deps --json script.js'],
  ]);
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Go's json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false): a newline after the value. */
export function depsJson(d: TestDependencies): string {
  return `${JSON.stringify({ buildDependencies: d.dependencies, imports: d.imports, customBuildRequired: d.customBuildRequired }, null, 2)}\n`;
}

/** k6's human-readable form. */
export function depsText(d: TestDependencies): string {
  const names = Object.keys(d.dependencies);
  let out = names.length === 0 ? 'Build Dependencies: (none)\n\n' : `Build Dependencies:\n${names.map((n) => `  ${n}: ${d.dependencies[n] ?? '*'}\n`).join('')}\n`;
  out += d.imports.length === 0 ? 'Imports: (none)\n\n' : `Imports:\n${d.imports.map((i) => `  ${i}\n`).join('')}\n`;
  out += `Custom Build Required: ${d.customBuildRequired ? 'yes' : 'no'}\n`;
  return out;
}

export async function depsCommand(script: string, o: DepsCliOptions, io: EngineIo, stdin: () => Promise<Uint8Array>): Promise<number> {
  const setup = openLogSetup(o, io);
  if (typeof setup === 'number') return setup;
  const colors = o.color !== false && (io.env.K6_NO_COLOR ?? '') === '' && io.env.NO_COLOR === undefined;
  const type = o.type ?? io.env.K6_TYPE;
  try {
    if (type !== undefined && type !== '' && type !== 'js' && type !== 'archive') {
      throw new EngineError(255, `could not initialize '${script}': unknown or unspecified test type '${type}' for '${script}'`);
    }
    const input: TestInput = script === '-' ? { name: '-', data: await stdin() } : { path: script };
    const deps = await loadTestDependencies(input, { env: io.env, ...(type === 'js' || type === 'archive' ? { type } : {}) }, io);
    io.stdout.write(o.json === true ? depsJson(deps) : depsText(deps));
    return 0;
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    writeLog(setup, 'error', e.message, colors, e.fields);
    return e.exitCode;
  }
}
