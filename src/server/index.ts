// Public entry of `server`: the Fastify app (v6 API + admin API) and what it needs injected.
export { buildApp, type ServerDeps, type ApiExtension, type ExtensionTools } from './app.ts';
export type { Caller } from './api-context.ts';
export { parseServerConfig, serverConfig, CONFIG_DEFAULTS, type ServerConfig } from './config.ts';
export { detectScriptType, type RunControl, type ScriptInspection, type OptionsPlan, type Checked, type ScriptContentType } from './run-control.ts';
export { declareLoadZones, type DeclaredLoadZone } from './load-zone-declarations.ts';
export { startRetentionSweeper, DEFAULT_SWEEP_INTERVAL_MS, type RetentionSweeper } from './retention-sweeper.ts';
export { startScheduleTrigger, MISSED_RUN_GRACE_MS, type ScheduleTrigger } from './schedule-trigger.ts';
