// ESLint rule: the folders under src/ are the parts of Stampede. A file may import another part only
// through that part's public entry (src/<part>/index.ts), and only parts listed as its dependencies.
// This keeps the architecture one-way: the engine never imports the server, the store never imports
// the engine, nothing imports the CLI.
import path from 'node:path';

/** Which parts each part may import. Anything not listed is forbidden. */
export const ALLOWED = {
  core: [],
  engine: ['core'],
  domain: ['core'],
  store: ['core', 'domain'],
  runner: ['core', 'engine'],
  // results reads stored metric batches with the engine's pure metrics code (merge, summary text);
  // it never loads or runs a script.
  results: ['core', 'store', 'engine'],
  orchestrator: ['core', 'domain', 'store', 'runner', 'results'],
  server: ['core', 'domain', 'store', 'orchestrator', 'results'],
  cli: ['core', 'engine', 'domain', 'store', 'server', 'orchestrator', 'runner', 'results'],
};

function partOf(file, srcRoot) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [part, ...rest] = rel.split(path.sep);
  return rest.length === 0 ? undefined : { part, rest: rest.join('/') };
}

export const partBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce one-way dependencies between parts and imports through public entries only' },
    schema: [],
    messages: {
      forbidden: "Part '{{from}}' may not import part '{{to}}' (allowed: {{allowed}}).",
      deep: "Import part '{{to}}' through its public entry 'src/{{to}}/index.ts', not '{{spec}}'.",
    },
  },
  create(context) {
    const file = context.filename;
    const srcRoot = path.resolve(context.cwd, 'src');
    const from = partOf(file, srcRoot);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = partOf(path.resolve(path.dirname(file), spec), srcRoot);
      if (!target || target.part === from.part) return;
      const allowed = ALLOWED[from.part] ?? [];
      if (!allowed.includes(target.part)) {
        context.report({ node, messageId: 'forbidden', data: { from: from.part, to: target.part, allowed: allowed.join(', ') || 'none' } });
      } else if (!/^index\.(ts|js)$/.test(target.rest)) {
        context.report({ node, messageId: 'deep', data: { to: target.part, spec } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
