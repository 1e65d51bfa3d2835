// `stampede new [file]`: `k6 new` (k6 internal/cmd/new.go, templates/templates.go) — write a starter
// script (script.js unless named) from a built-in template (minimal, the default; protocol; browser)
// or from a template file given by a path (a --template value with a `/`), in Go's text/template
// syntax with .ScriptName and .ProjectID (`--project-id` adds a `cloud` block to the built-in ones).
// An existing file is kept unless -f/--force. Errors are k6's, exit code 255. Stampede's own templates
// take BASE_URL from __ENV; the browser one runs with k6/browser, which needs a Chromium (docs/engine.md).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { logLine } from '../engine/index.ts';
import { parseTemplate, renderTemplate, TemplateError } from './script-template.ts';

const DEFAULT_SCRIPT = 'script.js';
const BUILT_IN = ['minimal', 'protocol', 'browser'] as const;

interface NewCliOptions {
  force?: boolean;
  template: string;
  projectId: string;
}

export interface NewIo {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

class NewError extends Error {}

function isBuiltIn(name: string): name is (typeof BUILT_IN)[number] {
  return (BUILT_IN as readonly string[]).includes(name);
}

/** templates.go GetTemplate: a built-in name, else a path (it has a separator), else an error. */
async function templateSource(tpl: string, cwd: string): Promise<{ name: string; source: string }> {
  if (isBuiltIn(tpl)) {
    return { name: tpl, source: await readFile(new URL(`./new-templates/${tpl}.js.tmpl`, import.meta.url), 'utf8') };
  }
  if (tpl.includes('/') || tpl.includes(path.sep)) {
    const abs = path.resolve(cwd, tpl);
    try {
      return { name: path.basename(abs), source: await readFile(abs, 'utf8') };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const reason = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EISDIR' ? 'is a directory' : err.message;
      throw new NewError(`error retrieving template: failed to read template file ${tpl}: open ${abs}: ${reason}`);
    }
  }
  if (existsSync(path.join(cwd, tpl))) throw new NewError(`error retrieving template: invalid template type "${tpl}", did you mean ./${tpl}?`);
  throw new NewError(`error retrieving template: invalid template type "${tpl}"`);
}

async function createScript(target: string, o: NewCliOptions, io: NewIo): Promise<void> {
  const file = path.resolve(io.cwd, target);
  if (existsSync(file) && o.force !== true) throw new NewError(`${target} already exists. Use the \`--force\` flag to overwrite it`);
  const { name, source } = await templateSource(o.template, io.cwd);
  let text: string;
  try {
    text = renderTemplate(name, parseTemplate(name, source), { ScriptName: target, ProjectID: o.projectId });
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    throw new NewError(
      e.phase === 'parse'
        ? `error retrieving template: failed to parse template file ${o.template}: ${e.message}`
        : `failed to execute template ${o.template}: ${e.message}`,
    );
  }
  try {
    await writeFile(file, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new NewError(`open ${target}: ${reason}`);
  }
}

export async function newCommand(file: string | undefined, o: NewCliOptions, io: NewIo): Promise<number> {
  const target = file ?? DEFAULT_SCRIPT;
  try {
    await createScript(target, o, io);
  } catch (e) {
    if (!(e instanceof NewError)) throw e;
    io.stderr.write(logLine('error', e.message, io.stderr.isTTY === true));
    return 255;
  }
  io.stdout.write(`New script created: ${target} (${o.template} template).\n`);
  return 0;
}

export function registerNewCommand(program: Command): void {
  program
    .command('new')
    // Too many arguments or an unknown flag: cobra's error, which k6 exits with -1 (255); see main.ts.
    .exitOverride()
    .description('Create a test script from a template, like `k6 new` (script.js unless a file name is given)')
    .argument('[file]', 'the script to create', undefined)
    .option('-f, --force', 'overwrite existing files')
    .option('--template <template>', 'template type (choices: minimal, protocol, browser) or relative/absolute path to a custom template file', 'minimal')
    .option('--project-id <id>', 'specify the Grafana Cloud project ID for the test', '')
    .addHelpText('after', `
The browser template runs with k6/browser, which needs a Chromium (K6_BROWSER_EXECUTABLE_PATH, or chromium on PATH).

Examples:
  # Create a new script with the default template
  $ stampede new

  # Specify a file name when creating a script
  $ stampede new test.js

  # Overwrite an existing file
  $ stampede new -f test.js

  # Create a script using a specific template
  $ stampede new --template protocol

  # Create a cloud-ready script with a specific project ID
  $ stampede new --project-id 12315
`)
    .action(async (file: string | undefined, o: NewCliOptions) => {
      process.exitCode = await newCommand(file, o, { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
    });
}
