// k6's `"use k6 …"` directives (internal/cmd/launcher.go findDirectives, processUseDirectives): the
// string literals a file starts with (after a `#!` line, between spaces, `;` and comments), each
// `use k6 <constraint>` constraining k6 itself and `use k6 with k6/x/<name> <constraint>` an
// extension; a directive without a constraint only names the dependency.
import { Constraint, ConstraintError } from './semver-constraint.ts';

/** name → constraint; null is "any version" (printed `*`). */
export type Dependencies = Map<string, Constraint | null>;

export class DependencyError extends Error {}

/** The leading string literals of `text`, as k6 finds them. */
export function findDirectives(text: string): string[] {
  let rest = text;
  if (rest.startsWith('#!')) {
    const nl = rest.indexOf('\n');
    rest = nl < 0 ? '' : rest.slice(nl + 1);
  }
  const out: string[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i] as string;
    if (/^\s$/u.test(c) || c === ';') {
      i++;
    } else if (c === '"' || c === "'") {
      const end = rest.indexOf(c, i + 1);
      if (end < 0) return out;
      out.push(rest.slice(i + 1, end));
      i = end + 1;
    } else if (rest.startsWith('//', i)) {
      const end = rest.indexOf('\n', i + 1);
      if (end < 0) return out;
      i = end + 1;
    } else if (rest.startsWith('/*', i)) {
      const end = rest.indexOf('*/', i + 1);
      if (end < 0) return out;
      i = end + 2;
    } else {
      return out;
    }
  }
  return out;
}

/** A "*" or absent constraint can be replaced; another one is a conflict (k6 compares no further). */
export function updateDependency(deps: Dependencies, name: string, constraint: Constraint | null): void {
  const old = deps.get(name);
  if (old === undefined || old === null || old.toString() === '*') {
    deps.set(name, constraint);
    return;
  }
  if (constraint === old || constraint === null) return;
  throw new DependencyError(`already have constraint for ${JSON.stringify(name)}, when parsing ${JSON.stringify(constraint.toString())}`);
}

/** Applies the directives of the file `name` (its URL) to `deps`. */
export function processUseDirectives(name: string, text: string, deps: Dependencies): void {
  for (const found of findDirectives(text)) {
    // k6 replaces each pair of spaces by one, once.
    let directive = found.replaceAll('  ', ' ');
    if (!directive.startsWith('use k6')) continue;
    directive = directive.slice('use k6'.length).trim();
    let dep = 'k6';
    let constraintText = directive;
    if (directive.startsWith('with k6/x/')) {
      directive = directive.slice('with '.length).trim();
      const space = directive.indexOf(' ');
      dep = space < 0 ? directive : directive.slice(0, space);
      constraintText = space < 0 ? '' : directive.slice(space + 1);
    }
    let constraint: Constraint | null = null;
    if (constraintText.length > 0) {
      try {
        constraint = Constraint.parse(constraintText);
      } catch (e) {
        if (!(e instanceof ConstraintError)) throw e;
        throw new DependencyError(
          `error while parsing use directives constraint ${JSON.stringify(constraintText)} for ${JSON.stringify(dep)} in ${JSON.stringify(name)}: ${e.message}`,
        );
      }
    }
    try {
      updateDependency(deps, dep, constraint);
    } catch (e) {
      if (!(e instanceof DependencyError)) throw e;
      throw new DependencyError(`error while parsing use directives in ${JSON.stringify(name)}: ${e.message}`);
    }
  }
}
