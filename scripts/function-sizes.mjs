#!/usr/bin/env node
/**
 * Lists functions (declarations, methods, arrow functions and function expressions, nested ones
 * included) longer than a limit, by their line span: `node scripts/function-sizes.mjs [limit] [dir...]`.
 * Prints JSON; exits 1 when any is over the limit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const [limitArg, ...dirs] = process.argv.slice(2);
const limit = Number(limitArg ?? 80);
const roots = dirs.length ? dirs : ['electron'];

const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
});

export function longFunctions(path, max) {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      const lines = end - start + 1;
      if (lines > max) {
        const name = node.name?.getText(source) ?? (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent) ? node.parent.name.getText(source) : '(anonymous)');
        found.push({ file: relative(process.cwd(), path), name, line: start + 1, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const all = roots.flatMap(files).flatMap((f) => longFunctions(f, limit)).sort((a, b) => b.lines - a.lines);
  process.stdout.write(`${JSON.stringify({ limit, over: all.length, functions: all }, null, 2)}\n`);
  process.exit(all.length ? 1 : 0);
}
