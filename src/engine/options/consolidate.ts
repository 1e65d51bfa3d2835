// Option tiers merged once: config file < script < `K6_*` env < CLI flags, then k6's hard-coded defaults
// (k6 internal/cmd/config.go getConsolidatedConfig, lib/options.go Apply). Execution keys are special:
// a tier that sets any of duration/iterations/stages/scenarios wipes all four from the tiers below it.
// Every problem of every tier, the shortcut derivation and every scenario is reported in one OptionsError.
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from '../executors/execution-segment.ts';
import type { JsonObject } from '../executors/config-fields.ts';
import type { ScenarioConfig } from '../executors/executor-config.ts';
import { parseScenarios, sortScenarios } from '../executors/scenario-config.ts';
import { optionsFromFlags, type CliOptionFlags } from './cli-options.ts';
import { deriveScenarios } from './derive-scenarios.ts';
import { optionsFromEnv } from './env-options.ts';
import { applyDefaults, type K6Options, type ResolvedOptions } from './k6-options.ts';
import { OptionsError } from './options-error.ts';
import { parseOptionsObject, type ParsedTier } from './parse-options.ts';
import { testOptionsJson } from './test-options.ts';

export type TierName = 'file' | 'script' | 'env' | 'cli';

const EXECUTION_KEYS = ['duration', 'iterations', 'stages', 'scenarios'] as const;

function setsExecution(o: K6Options): boolean {
  return EXECUTION_KEYS.some((k) => o[k] !== undefined);
}

/** k6 Options.Apply: `higher` wins field by field, except the execution-keys rule. */
export function applyTier(lower: K6Options, higher: K6Options): K6Options {
  const out: Record<string, unknown> = { ...lower };
  if (setsExecution(higher)) for (const k of EXECUTION_KEYS) delete out[k];
  for (const [k, v] of Object.entries(higher)) {
    if (v === undefined) continue;
    // Stages without a duration are dropped when a tier is applied (k6 Apply); dns is applied field by
    // field (`--dns ttl=5` keeps K6_DNS's select and policy).
    if (k === 'stages') out[k] = (v as NonNullable<K6Options['stages']>).filter((s) => s.duration !== undefined);
    else if (k === 'dns') out[k] = { ...(out.dns as K6Options['dns']), ...(v as K6Options['dns']) };
    else out[k] = v;
  }
  return out as K6Options;
}

export interface ConsolidatedOptions {
  /** Consolidated options with defaults; shortcuts stay as given (what k6 archives and exposes). */
  readonly options: ResolvedOptions;
  /** The scenarios to run: derived from shortcuts or as declared, validated, sorted by (startTime, name). */
  readonly scenarios: ScenarioConfig[];
  /** This instance's execution segment within its sequence (the whole test unless set). */
  readonly tuple: ExecutionTuple;
  /** k6/execution `test.options` (JSON-safe, not frozen): see test-options.ts. */
  readonly testOptions: JsonObject;
  readonly warnings: string[];
}

export interface ConsolidationSettings {
  /**
   * k6's `merge-run-tags` feature (config.go mergeRunTags): `tags` of every tier are merged key by key,
   * a higher tier winning on a collision, instead of the highest tier's replacing the others.
   */
  readonly mergeRunTags?: boolean;
}

/** Merges already-decoded tiers (lowest first) and derives scenarios; throws OptionsError with every problem. */
export function consolidateTiers(tiers: readonly { name: TierName; tier: ParsedTier }[], settings: ConsolidationSettings = {}): ConsolidatedOptions {
  const problems: string[] = [];
  const uncoded: string[] = [];
  const validation: string[] = [];
  const warnings: string[] = [];
  let merged: K6Options = {};
  const tagLayers: Record<string, string> = {};
  for (const { name, tier } of tiers) {
    problems.push(...tier.problems);
    uncoded.push(...(tier.uncoded ?? []));
    warnings.push(...tier.warnings);
    if (merged.scenarios !== undefined && setsExecution(tier.options)) {
      warnings.push(`"${name}" level configuration overrode scenarios configuration entirely`);
    }
    merged = applyTier(merged, tier.options);
    Object.assign(tagLayers, tier.options.tags);
  }
  if (settings.mergeRunTags === true) {
    if (Object.keys(tagLayers).length > 0) merged.tags = tagLayers;
    else delete merged.tags;
  }
  // k6's Options.Apply leaves `features` out: they are read from the config file alone (feature-flags.ts).
  delete merged.features;

  const derivation = deriveScenarios(merged);
  problems.push(...derivation.problems);
  warnings.push(...derivation.warnings);
  let scenarios: ScenarioConfig[] = [];
  if (derivation.scenarios !== undefined) {
    const parsed = parseScenarios(derivation.scenarios);
    problems.push(...parsed.problems);
    validation.push(...parsed.validation);
    scenarios = sortScenarios(parsed.scenarios);
  }

  const options = applyDefaults(derivation.options);
  if (options.setupTimeout <= 0) {
    problems.push('setupTimeout must be positive');
    validation.push('setupTimeout must be positive');
  }
  let tuple = ExecutionTuple.of();
  try {
    const segment = options.executionSegment === undefined ? undefined : parseExecutionSegment(options.executionSegment);
    const sequence = options.executionSegmentSequence === undefined ? [] : parseExecutionSegmentSequence(options.executionSegmentSequence);
    if (sequence.length > 0 && !sequence.some((s) => (segment ? s.equals(segment) : s.toString() === '0:1'))) {
      const notFound = `provided segment ${segment?.toString() ?? '0:1'} can't be found in sequence ${options.executionSegmentSequence ?? ''}`;
      problems.push(notFound);
      validation.push(notFound);
    } else {
      tuple = ExecutionTuple.of(segment, sequence);
    }
  } catch (err) {
    problems.push((err as Error).message);
  }

  if (problems.length > 0) throw new OptionsError(problems, uncoded, validation);
  const testOptions = testOptionsJson(derivation.options, derivation.scenarios ?? {});
  return { options, scenarios, tuple, testOptions, warnings };
}

/** The JSON config file (`-c`, K6_CONFIG, or k6's default path), already read and parsed. */
export interface ConfigFileSource {
  /** As the user gave it: named in problems. */
  readonly path: string;
  readonly content: unknown;
}

/**
 * The config file's tier (k6 internal/cmd/config.go readDiskConfig): its top-level keys are options
 * (the same JSON names as a script's), anything else (`out`, `collectors`, …) is not an option and
 * unknown keys are ignored without a warning. A value of the wrong type fails as k6's json.Unmarshal
 * does, with exit code 104.
 */
export function optionsFromConfigFile(file: ConfigFileSource): ParsedTier {
  const prefix = `failed to load the configuration file from the local file system: couldn't parse the configuration from ${JSON.stringify(file.path)}`;
  if (file.content !== null && (typeof file.content !== 'object' || Array.isArray(file.content))) {
    return { options: {}, problems: [`${prefix}: expected a JSON object`], warnings: [] };
  }
  const tier = parseOptionsObject(file.content, 'config file', false);
  return { ...tier, problems: tier.problems.map((p) => `${prefix}: ${p}`), uncoded: (tier.uncoded ?? []).map((p) => `${prefix}: ${p}`) };
}

export interface OptionSources {
  /** The JSON config file, below every other tier. */
  readonly file?: ConfigFileSource;
  /** The script's exported `options` after a JSON round trip, or an archive's metadata options. */
  readonly script?: unknown;
  /** Name used in the unknown-key warning ("script" or "archive"). */
  readonly scriptSource?: string;
  /** Environment map the `K6_*` tier is read from. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Flags the user gave on the command line. */
  readonly cli?: CliOptionFlags;
  readonly settings?: ConsolidationSettings;
}

/** The whole pipeline: decode each tier, merge, derive, default, validate. Throws OptionsError (exit 104, or 255: see there). */
export function consolidateOptions(sources: OptionSources): ConsolidatedOptions {
  return consolidateTiers([
    ...(sources.file === undefined ? [] : [{ name: 'file' as const, tier: optionsFromConfigFile(sources.file) }]),
    // An archive's options are Go's plain json.Unmarshal of metadata.json: unknown keys (the old
    // `execution`) go without a warning, as k6 warns only about a script's exported options.
    { name: 'script', tier: parseOptionsObject(sources.script, sources.scriptSource, sources.scriptSource !== 'archive') },
    { name: 'env', tier: optionsFromEnv(sources.env ?? {}) },
    { name: 'cli', tier: optionsFromFlags(sources.cli ?? {}) },
  ], sources.settings);
}

/** k6 validateScenarioConfig: every scenario's exec must name an exported function. */
export function checkScenarioExecs(scenarios: readonly ScenarioConfig[], exportedFunctions: readonly string[]): string[] {
  return scenarios
    .filter((s) => !exportedFunctions.includes(s.exec))
    .map((s) => `executor ${s.name}: function '${s.exec}' not found in exports`);
}
