// Go's strconv.ParseBool, which k6 applies to the booleans it reads from flags and runtime variables
// (`--flag=value` forms, K6_INCLUDE_SYSTEM_ENV_VARS, feature aliases), and guregu null.Bool's
// UnmarshalText, which envconfig applies to the null.Bool fields of k6's config (K6_THROW, K6_LINGER…).

const TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** The boolean `text` spells for Go, or undefined where strconv.ParseBool returns an error. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}

/**
 * guregu null.Bool's UnmarshalText: `true` and `false`; `""` and `"null"` are not set (null);
 * anything else, Go's other spellings included, is an error (undefined).
 */
export function parseNullBool(text: string): boolean | null | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text === '' || text === 'null' ? null : undefined;
}
