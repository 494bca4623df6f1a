#!/usr/bin/env node
// Checks the import structure of src/ (part of `npm run check`):
//   1. no import cycle between files, type-only imports included;
//   2. every import between layers points down the table below, and enters the other layer through
//      its index.ts (which attaches the NDArray methods and says what the layer offers);
//   3. every folder has an index.ts that opens with a comment (what it holds; for a layer, what it may
//      import).
// Imports are read with the TypeScript parser: static imports and re-exports, `import()` calls and
// `import('…')` types whose module is a string literal.
//
//   node scripts/check-layers.mjs            prints the layers and any violation; exit 1 on violation

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/** Each layer and the layers it may import, bottom up (src/<name>/, or the entry files at src/). */
const LAYERS = {
  core: [],
  backend: ['core', 'assembly'],
  ndarray: ['core', 'backend'],
  random: ['core', 'ndarray'],
  io: ['core'],
  nn: ['core', 'backend', 'ndarray', 'random', 'io'],
  data: ['core', 'ndarray', 'random'],
  course: ['core', 'backend', 'ndarray', 'random'],
  entry: ['core', 'backend', 'ndarray', 'random', 'io', 'nn', 'data', 'course'],
  cli: ['entry'],
};
/** The files of the `entry` layer, directly in src/. */
const ENTRY_FILES = new Set(['index.ts', 'browser.ts', 'exports.ts', 'course-entry.ts']);
/** What backend/ may take from assembly/: the op codes and constants both languages share. */
const ASSEMBLY_SHARED = new Set(['assembly/ops.ts', 'assembly/gemm/params.ts']);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file) {
  const rel = relative(ROOT, file).split(sep);
  if (rel[0] === 'assembly') return 'assembly';
  if (rel[0] !== 'src') return undefined;
  if (rel.length === 2) return ENTRY_FILES.has(rel[1]) ? 'entry' : undefined;
  return rel[1];
}

/** The relative module specifiers a file imports, with the line of each. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (literal) => {
    if (literal && ts.isStringLiteralLike(literal) && literal.text.startsWith('.')) {
      const { line } = source.getLineAndCharacterOfPosition(literal.getStart());
      found.push({ spec: literal.text, line: line + 1 });
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = walk(SRC);
const edges = new Map(files.map((f) => [f, []]));
const problems = [];
const rel = (f) => relative(ROOT, f).split(sep).join('/');

for (const file of files) {
  const from = layerOf(file);
  if (from === undefined) problems.push(`${rel(file)}: a file directly in src/ that is no entry point`);
  for (const { spec, line } of importsOf(file)) {
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    const to = layerOf(target);
    const where = `${rel(file)}:${line}`;
    if (to === from) {
      edges.get(file)?.push(target);
      continue;
    }
    if (!LAYERS[from]?.includes(to)) {
      problems.push(`${where}: ${from} may not import ${to ?? rel(target)} (${spec})`);
      continue;
    }
    if (to === 'assembly') {
      if (!ASSEMBLY_SHARED.has(rel(target)))
        problems.push(
          `${where}: only ${[...ASSEMBLY_SHARED].join(', ')} are shared with assembly/ (${spec})`,
        );
    } else if (to !== 'entry' && rel(target) !== `src/${to}/index.ts`) {
      problems.push(`${where}: enter ${to}/ through src/${to}/index.ts, not ${rel(target)}`);
    }
    if (edges.has(target)) edges.get(file)?.push(target);
  }
}

const folders = [...new Set(files.map((f) => dirname(f)))].filter((d) => d !== SRC);
for (const folder of folders) {
  const index = join(folder, 'index.ts');
  let first = '';
  try {
    first = readFileSync(index, 'utf8').split('\n')[0];
  } catch {
    problems.push(`${rel(folder)}/index.ts is missing: every folder says in its index.ts what it holds`);
    continue;
  }
  if (!first.startsWith('//'))
    problems.push(`${rel(index)} must open with a comment saying what the folder is`);
}

// Tarjan's strongly connected components: any component of more than one file is a cycle
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function connect(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const selfLoop = (edges.get(v) ?? []).includes(v);
    if (component.length > 1 || selfLoop) cycles.push(component);
  }
}
for (const f of files) if (!index.has(f)) connect(f);
for (const c of cycles) problems.push(`import cycle: ${c.map(rel).join(' -> ')}`);

console.log(`src/: ${files.length} files in layers, each importing only those listed:`);
for (const [layer, allowed] of Object.entries(LAYERS)) {
  console.log(`  ${layer.padEnd(8)} <- ${allowed.length ? allowed.join(', ') : '(nothing)'}`);
}
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('no import cycle, no import against the layers');
