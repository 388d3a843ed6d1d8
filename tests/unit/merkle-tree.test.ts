import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inclusionPath, leafHash, rootFromPath, treeHash, verifyInclusion } from '../../electron/core/audit/merkle-tree.js';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/**
 * An independent construction: level by level, pairs hashed left to right, an unpaired last node
 * carried up unchanged (equivalent to RFC 6962's split at the largest power of two). Returns the
 * root and, for leaf m, the siblings met on the way up.
 */
function levels(data: readonly Buffer[], m: number): { root: Buffer; path: Buffer[] } {
  let level: Buffer[] = data.map((d) => sha(Buffer.from([0]), d));
  const path: Buffer[] = [];
  let i = m;
  while (level.length > 1) {
    const sibling = i ^ 1;
    if (sibling < level.length) path.push(level[sibling]!);
    const next: Buffer[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(j + 1 < level.length ? sha(Buffer.from([1]), level[j]!, level[j + 1]!) : level[j]!);
    level = next;
    i >>= 1;
  }
  return { root: level[0] ?? sha(), path };
}

const dataOf = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`segment ${i}`));

describe('RFC 6962 Merkle tree', () => {
  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(treeHash([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the roots of the RFC 6962 test vectors (certificate-transparency test data)', () => {
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => leafHash(Buffer.from(h, 'hex')));
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    expect(roots.map((_, n) => treeHash(leaves.slice(0, n + 1)).toString('hex'))).toEqual(roots);
  });

  it('agrees with an independent construction on trees of 1 to 17 leaves, root and every path', () => {
    for (let n = 1; n <= 17; n++) {
      const data = dataOf(n);
      const leaves = data.map((d) => leafHash(d));
      const root = treeHash(leaves);
      for (let m = 0; m < n; m++) {
        const independent = levels(data, m);
        expect(root.equals(independent.root), `root of ${n}`).toBe(true);
        const path = inclusionPath(leaves, m);
        expect(path.map((p) => p.toString('hex')), `path of leaf ${m} of ${n}`).toEqual(independent.path.map((p) => p.toString('hex')));
        expect(verifyInclusion(leaves[m]!, m, n, path, root), `leaf ${m} of ${n}`).toBe(true);
      }
    }
  });

  it('refuses a wrong leaf, a wrong index and an altered, shortened or lengthened path', () => {
    for (let n = 1; n <= 17; n++) {
      const leaves = dataOf(n).map((d) => leafHash(d));
      const root = treeHash(leaves);
      for (let m = 0; m < n; m++) {
        const path = inclusionPath(leaves, m);
        const ok = (leaf: Buffer, index: number, size: number, p: readonly Buffer[]) => verifyInclusion(leaf, index, size, p, root);
        expect(ok(leafHash('another segment'), m, n, path)).toBe(false);
        for (let other = 0; other < n; other++) if (other !== m) expect(ok(leaves[m]!, other, n, path), `leaf ${m} of ${n} claimed as ${other}`).toBe(false);
        expect(ok(leaves[m]!, n, n, path), 'index beyond the tree').toBe(false);
        expect(ok(leaves[m]!, -1, n, path)).toBe(false);
        for (let i = 0; i < path.length; i++) {
          const altered = path.map((p, j) => (j === i ? leafHash(p) : p));
          expect(ok(leaves[m]!, m, n, altered), `node ${i} of the path of ${m} of ${n} altered`).toBe(false);
        }
        if (path.length) expect(ok(leaves[m]!, m, n, path.slice(0, -1)), 'shortened').toBe(false);
        expect(ok(leaves[m]!, m, n, [...path, leaves[0]!]), 'lengthened').toBe(false);
      }
    }
  });

  it('says which leaves there are not', () => {
    expect(() => inclusionPath([leafHash('a')], 1)).toThrow(RangeError);
    expect(() => inclusionPath([], 0)).toThrow(RangeError);
  });
});
