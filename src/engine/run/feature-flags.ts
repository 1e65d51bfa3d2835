// k6 v2.2's feature flags (internal/features, internal/cmd/features.go): `--features a,b` (repeatable),
// else K6_FEATURES (from the environment or `-e`), else the config file's `features` list. The first
// surface that is given at all wins, even empty; its names are split on commas and trimmed. An unknown
// name is an error line and nothing else (the run goes on); a known one is logged as enabled. Active
// features are tags on every sample (`k6_feature_merge_run_tags="true"`) and `__ENV.K6_FEATURES`.
import type { LogLevel } from '../vu/log-sink.ts';
import { parseGoBool } from '../../core/index.ts';

type Lifecycle = 'experimental' | 'ga' | 'deprecated';

interface FeatureDefinition {
  readonly name: string;
  readonly lifecycle: Lifecycle;
  readonly description: string;
}

/** k6's `features.Flags` fields, in its display order (experimental first, then by name). */
export const FEATURES: readonly FeatureDefinition[] = [
  { name: 'freeze-env', lifecycle: 'experimental', description: 'Freeze __ENV object to prevent modifications from JS code' },
  { name: 'merge-run-tags', lifecycle: 'experimental', description: 'Merge run tags across config layers instead of replacing' },
  { name: 'native-histograms', lifecycle: 'experimental', description: 'Use native histograms for trend metrics' },
];

/** k6 features/aliases.go: legacy variables that turn a feature on (a Go boolean, true). */
const ALIASES: ReadonlyArray<{ readonly env: string; readonly feature: string }> = [
  { env: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', feature: 'native-histograms' },
];

export interface FeatureLogLine {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface ResolvedFeatures {
  /** Sorted names of the active features. */
  readonly activated: readonly string[];
  readonly mergeRunTags: boolean;
  /** What k6 logs while resolving them, in order. */
  readonly log: readonly FeatureLogLine[];
}

export interface FeatureSurfaces {
  /** `--features` values, undefined when the flag was not given. */
  readonly cli?: readonly string[];
  /** The system environment with `-e` values over it (K6_FEATURES and the legacy aliases). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The config file's `features`, undefined when it has none (or null). */
  readonly json?: readonly string[];
}

export function resolveFeatures(s: FeatureSurfaces): ResolvedFeatures {
  const log: FeatureLogLine[] = [];
  // The env surface: legacy aliases first, then K6_FEATURES (k6 resolveEnvSurface).
  const aliasOf = new Map<string, string>();
  const envValues: string[] = [];
  for (const a of ALIASES) {
    const v = s.env[a.env];
    if (v === undefined || parseGoBool(v) !== true) continue;
    envValues.push(a.feature);
    aliasOf.set(a.feature, a.env);
  }
  const k6Features = s.env.K6_FEATURES;
  if (k6Features !== undefined) envValues.push(k6Features);
  const envSupplied = k6Features !== undefined || aliasOf.size > 0;

  let values: readonly string[];
  let source: string;
  if (s.cli !== undefined) [values, source] = [s.cli, 'cli'];
  else if (envSupplied) [values, source] = [envValues, 'env'];
  else if (s.json !== undefined) [values, source] = [s.json, 'json'];
  else return { activated: [], mergeRunTags: false, log };

  const active = new Set<string>();
  const seen = new Set<string>();
  for (const name of values.flatMap((v) => v.split(',').map((p) => p.trim()).filter((p) => p !== ''))) {
    if (seen.has(name)) continue;
    seen.add(name);
    const viaAlias = source === 'env' ? aliasOf.get(name) : undefined;
    if (viaAlias !== undefined) {
      log.push({
        level: 'warn',
        msg: 'Legacy env var detected, use --features or K6_FEATURES instead',
        fields: { env: viaAlias, feature: name, lifecycle: 'deprecated_alias', source: 'env_legacy_alias' },
      });
    }
    const def = FEATURES.find((f) => f.name === name);
    if (def === undefined) {
      const fields: Record<string, string> = { feature: name, outcome: 'unknown', source: viaAlias !== undefined ? 'env_legacy_alias' : source };
      if (viaAlias !== undefined) fields.env = viaAlias;
      log.push({ level: 'error', msg: 'Unknown feature flag', fields });
      continue;
    }
    active.add(name);
    log.push({ level: 'info', msg: 'Experimental feature enabled', fields: { feature: name, lifecycle: def.lifecycle } });
  }
  const activated = [...active].sort();
  return { activated, mergeRunTags: active.has('merge-run-tags'), log };
}

/** k6 Flags.Tags(): `k6_feature_<name with _>` = "true" for each active feature. */
export function featureTags(activated: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const name of activated) tags[`k6_feature_${name.replaceAll('-', '_')}`] = 'true';
  return tags;
}

/**
 * k6 applyFeatureRunTags: the run tags samples carry, without any `k6_feature_*` tag the options gave
 * and with those of the active features.
 */
export function runTagsWithFeatures(tags: Readonly<Record<string, string>>, activated: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (!k.startsWith('k6_feature_')) out[k] = v;
  return Object.assign(out, featureTags(activated));
}

/** The config file's `features` (k6 Options.Features): a list of names, undefined when absent or null. */
export function configFileFeatures(content: unknown): string[] | undefined {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) return undefined;
  const raw = (content as Record<string, unknown>).features;
  if (!Array.isArray(raw)) return undefined;
  return raw.filter((v): v is string => typeof v === 'string');
}
