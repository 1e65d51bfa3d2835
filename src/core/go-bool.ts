// Go's strconv.ParseBool, which k6 applies to every boolean it reads from text (K6_* variables,
// `--flag=value` forms, feature aliases).

const TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** The boolean `text` spells for Go, or undefined where strconv.ParseBool returns an error. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}
