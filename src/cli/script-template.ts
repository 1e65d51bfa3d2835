// The part of Go's text/template that `k6 new` templates use (k6 internal/cmd/templates): `{{ .Field }}`
// substitutes a field as it is (no escaping), `{{ if .Field }}…{{ else }}…{{ end }}` keeps a part when
// the field is not empty, `{{/* … */}}` is a comment, and `{{-` / `-}}` trim the white space next to
// them. Anything else is a parse error, as an unknown field is an execution error, each worded as Go's.

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: string; line: number }
  | { kind: 'if'; name: string; line: number; then: Node[]; else: Node[] };

export class TemplateError extends Error {
  constructor(message: string, readonly phase: 'parse' | 'execute') {
    super(message);
  }
}

interface Action {
  readonly body: string;
  readonly line: number;
}

/** Splits the source into text and actions, applying the trim markers. */
function lex(name: string, source: string): Array<string | Action> {
  const out: Array<string | Action> = [];
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    if (open < 0) {
      out.push(source.slice(pos));
      break;
    }
    let text = source.slice(pos, open);
    const line = source.slice(0, open).split('\n').length;
    let inner = open + 2;
    if (source.startsWith('- ', inner) || source.startsWith('-\t', inner) || source.startsWith('-\n', inner)) {
      text = text.replace(/\s+$/, '');
      inner += 1;
    }
    const close = source.indexOf('}}', inner);
    if (close < 0) throw new TemplateError(`template: ${name}:${line}: unclosed action`, 'parse');
    let body = source.slice(inner, close);
    pos = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      const rest = source.slice(pos);
      pos += rest.length - rest.replace(/^\s+/, '').length;
    }
    out.push(text, { body: body.trim(), line });
  }
  return out.filter((x) => x !== '');
}

const FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function parseTemplate(name: string, source: string): Node[] {
  const tokens = lex(name, source);
  let i = 0;
  const list = (inIf: boolean): { nodes: Node[]; end: 'else' | 'end' | 'eof' } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++] as string | Action;
      if (typeof t === 'string') {
        nodes.push({ kind: 'text', text: t });
        continue;
      }
      if (t.body.startsWith('/*') && t.body.endsWith('*/')) continue;
      if (t.body === 'end' || t.body === 'else') {
        if (!inIf) throw new TemplateError(`template: ${name}:${t.line}: unexpected {{${t.body}}}`, 'parse');
        return { nodes, end: t.body };
      }
      const field = FIELD.exec(t.body);
      if (field !== null) {
        nodes.push({ kind: 'field', name: field[1] ?? '', line: t.line });
        continue;
      }
      const cond = /^if\s+(\S+)$/.exec(t.body);
      const condField = cond === null ? null : FIELD.exec(cond[1] ?? '');
      if (condField === null) {
        throw new TemplateError(`template: ${name}:${t.line}: unsupported action {{${t.body}}} (k6 new templates use .ScriptName, .ProjectID, if, else and end)`, 'parse');
      }
      const then = list(true);
      const otherwise = then.end === 'else' ? list(true) : { nodes: [], end: then.end };
      if (otherwise.end !== 'end') throw new TemplateError(`template: ${name}:${t.line}: unexpected EOF`, 'parse');
      nodes.push({ kind: 'if', name: condField[1] ?? '', line: t.line, then: then.nodes, else: otherwise.nodes });
    }
    if (inIf) throw new TemplateError(`template: ${name}: unexpected EOF`, 'parse');
    return { nodes, end: 'eof' };
  };
  return list(false).nodes;
}

/** Renders parsed nodes with `fields`; an unknown field fails as Go's executor does. */
export function renderTemplate(name: string, nodes: readonly Node[], fields: Readonly<Record<string, string>>): string {
  const value = (field: string, line: number): string => {
    const v = fields[field];
    if (v === undefined) {
      throw new TemplateError(
        `template: ${name}:${line}: executing "${name}" at <.${field}>: can't evaluate field ${field} in type templates.TemplateArgs`,
        'execute',
      );
    }
    return v;
  };
  return nodes
    .map((n) => {
      if (n.kind === 'text') return n.text;
      if (n.kind === 'field') return value(n.name, n.line);
      return renderTemplate(name, value(n.name, n.line) !== '' ? n.then : n.else, fields);
    })
    .join('');
}
