// A script that cannot be turned into a runnable factory. k6 exits with 107 (ScriptException) for
// these, so the error carries that code; `file`/`line`/`column` point into the ORIGINAL source
// (line and column 1-based) whenever the problem has a location.

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export class CompileError extends Error {
  /** 107, or 255 when the script file itself cannot be read (k6 attaches no exit code to that). */
  readonly exitCode: number;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** Extra fields for the error's log line (a `hint`). */
  readonly fields: Readonly<Record<string, string>> | undefined;

  constructor(
    message: string,
    location?: SourceLocation,
    opts: {
      cause?: unknown;
      exitCode?: number;
      fields?: Readonly<Record<string, string>>;
      /** The message names the place in its own words (k6's `Line 2:7`): the location is not put before it. */
      messageHasLocation?: boolean;
    } = {},
  ) {
    super(
      location === undefined || opts.messageHasLocation === true ? message : `${location.file}:${location.line}:${location.column}: ${message}`,
      opts.cause === undefined ? undefined : { cause: opts.cause },
    );
    this.name = 'CompileError';
    this.exitCode = opts.exitCode ?? 107;
    this.file = location?.file;
    this.line = location?.line;
    this.column = location?.column;
    this.fields = opts.fields;
  }
}
