// Commands that run no script start without loading the engine's run machinery (VUs, k6 modules,
// undici, the script compiler) or the WebSocket client: `stampede version`, `--help` and the shell's
// TAB completion answer in about half the time. Guards the lazy imports in engine/index.ts and the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function modulesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-trace-'));
  try {
    const trace = join(dir, 'modules.txt');
    const r = spawnSync(process.execPath, ['--import', './src/cli/module-trace.fixture.js', 'bin/stampede.js', ...args], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, STAMPEDE_MODULE_TRACE: trace },
    });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(trace, 'utf8').split('\n').filter((l) => l !== '').map((u) => u.replace(`file://${ROOT}`, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('stampede startup', () => {
  it.each(['version', '--help', '__complete cl', 'cloud --help'])('`stampede %s` loads no VU, k6 module, compiler or HTTP client code', (command) => {
    const loaded = modulesLoadedBy(command.split(' '));
    expect(loaded.some((m) => m === 'src/cli/main.ts')).toBe(true);
    // (tsx itself loads esbuild, to compile the CLI's TypeScript.)
    const heavy = loaded.filter((m) => /^src\/engine\/(http|modules|compile|grpc|ws|browser|extensions|outputs\/(?!network-outputs))|^src\/engine\/vu\/vu(-modules)?\.ts|^src\/engine\/executors\/(?!progress-format)|^src\/engine\/run\/(load-test|test-run|worker)|node_modules\/(undici|ws|acorn|tar-stream)\//.test(m));
    expect(heavy).toEqual([]);
  });
});
