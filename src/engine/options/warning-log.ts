// How k6 logs a load warning. Most are a bare message; the unknown-options one goes through
// `logger.WithError(err).Warn("There were unknown fields in the options exported in the script")`
// (internal/js/bundle.go), so Go's decoding error is a field of its own.

const WITH_ERROR = /^(There were unknown fields in the options exported in the [^:]+): (json: [\s\S]*)$/;

export interface WarningLogEntry {
  readonly msg: string;
  readonly fields?: Readonly<Record<string, string>>;
}

/** The log line's message and fields for one of a loaded test's warnings. */
export function warningLogEntry(warning: string): WarningLogEntry {
  const m = WITH_ERROR.exec(warning);
  if (m === null || m[1] === undefined || m[2] === undefined) return { msg: warning };
  return { msg: m[1], fields: { error: m[2] } };
}
