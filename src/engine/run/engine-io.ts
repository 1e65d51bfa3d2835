// Everything the engine touches outside itself (docs/architecture.md): injected, never global.
export interface EngineIo {
  cwd: string;
  /** The system environment, used only as documented (the K6_* tier, --include-system-env-vars). */
  env: Record<string, string>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  stdout: { write(s: string): void; isTTY: boolean; columns?: number };
  stderr: { write(s: string): void; isTTY: boolean };
}
