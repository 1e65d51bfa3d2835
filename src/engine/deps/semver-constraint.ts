// Version constraints as k6 reads them for its dependencies (Masterminds/semver v3, which k6 uses):
// `>= 1.2.3`, `~1.2`, `^0.4`, `1.x`, `1.0 - 2.0`, `>1.0, <2.0 || 3.x`. A constraint prints in that
// library's canonical form (each operator glued to its version as written, AND parts joined by a
// space, OR groups by ` || `: `>= 1.2.3` prints `>=1.2.3`), and checks a version with its rules
// (a prerelease version only satisfies a group that names a prerelease).

const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?` + String.raw`(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?` + String.raw`(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const CONSTRAINT = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);
const VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

const MAX_LENGTH = 512;
const MAX_GROUPS = 32;

export class ConstraintError extends Error {}

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: string;
}

/** semver.NewVersion (the lenient form: `v` prefix, missing minor/patch); undefined when not a version. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (m === null) return undefined;
  const pre = m[5] ?? '';
  // Numeric prerelease identifiers must not have leading zeros.
  if (pre !== '' && pre.split('.').some((p) => /^0[0-9]+$/.test(p))) return undefined;
  return { major: Number(m[1]), minor: Number((m[2] ?? '.0').slice(1)), patch: Number((m[3] ?? '.0').slice(1)), pre };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return comparePre(a.pre, b.pre);
}

interface Part {
  readonly op: string;
  readonly orig: string;
  readonly con: Version;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

const isX = (s: string): boolean => s === 'x' || s === 'X' || s === '*';

function parsePart(text: string): Part {
  const m = CONSTRAINT.exec(text);
  if (m === null) throw new ConstraintError(`improper constraint: ${JSON.stringify(text)}`);
  const [, op = '', orig = '', major = '', minorDot = '', patchDot = '', pre = ''] = m;
  let ver = orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minorDot.slice(1)) || minorDot === '') {
    ver = `${major}.0.0${pre}`;
    dirty = true;
    minorDirty = true;
  } else if (isX(patchDot.slice(1)) || patchDot === '') {
    ver = `${major}${minorDot}.0${pre}`;
    dirty = true;
    patchDirty = true;
  }
  const con = parseVersion(ver);
  if (con === undefined) throw new ConstraintError('constraint parser error');
  return { op, orig, con, dirty, minorDirty, patchDirty };
}

function checkPart(v: Version, c: Part, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const cmp = compareVersions(v, c.con);
  const con = c.con;
  switch (c.op) {
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return (v.pre !== '' || con.pre !== '') && comparePre(v.pre, con.pre) !== 0;
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp === 1;
      if (v.major > con.major) return true;
      if (v.major < con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return cmp === 1;
    case '<':
      return cmp < 0;
    case '>=': case '=>':
      return cmp >= 0;
    case '<=': case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~': case '~>':
      return tilde(v, c, cmp);
    case '^':
      if (cmp < 0) return false;
      if (con.major > 0 || c.minorDirty) return v.major === con.major;
      if (v.major > 0) return false;
      if (con.minor > 0 || c.patchDirty) return v.minor === con.minor;
      if (v.minor > 0) return false;
      return con.patch === v.patch;
    default: // '' and '='
      return c.dirty ? tilde(v, c, cmp) : cmp === 0;
  }
}

function tilde(v: Version, c: Part, cmp: number): boolean {
  if (cmp < 0) return false;
  const con = c.con;
  if (con.major === 0 && con.minor === 0 && con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  return !(v.minor !== con.minor && !c.minorDirty);
}

export class Constraint {
  readonly #groups: readonly (readonly Part[])[];

  private constructor(groups: readonly (readonly Part[])[]) {
    this.#groups = groups;
  }

  /** semver.NewConstraint; throws a ConstraintError in the library's words. */
  static parse(text: string): Constraint {
    if (text.length > MAX_LENGTH) throw new ConstraintError(`constraint string is too long (max ${MAX_LENGTH} bytes)`);
    const rewritten = text.replace(RANGE, (_all, from: string, ...rest: unknown[]) => `>= ${from}, <= ${String(rest[9])} `);
    const ors = rewritten.split('||');
    if (ors.length > MAX_GROUPS) throw new ConstraintError(`too many constraint groups (max ${MAX_GROUPS})`);
    return new Constraint(ors.map((or) => {
      if (!VALID.test(or)) throw new ConstraintError(`improper constraint: ${JSON.stringify(or)}`);
      const found = or.match(FIND) ?? [or];
      return found.map(parsePart);
    }));
  }

  check(v: Version): boolean {
    return this.#groups.some((group) => {
      const includePre = group.some((p) => p.con.pre !== '');
      return group.every((p) => checkPart(v, p, includePre));
    });
  }

  toString(): string {
    return this.#groups.map((g) => g.map((p) => p.op + p.orig).join(' ')).join(' || ');
  }
}
