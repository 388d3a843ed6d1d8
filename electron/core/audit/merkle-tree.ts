/**
 * Certificate Transparency's Merkle tree (RFC 6962 §2.1, RFC 9162 §2.1): the tree hash of a list of
 * leaves, a leaf's inclusion path, and the check of a path against a root. A leaf is hashed as
 * SHA-256(0x00 ‖ data) and a node as SHA-256(0x01 ‖ left ‖ right), so no leaf can pass for a node;
 * a list of n > 1 leaves splits at k, the largest power of two below n. Anyone with an RFC 6962
 * library can recompute what this writes.
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/** The hash of one leaf's data. */
export const leafHash = (data: Buffer | string): Buffer => sha256(LEAF, Buffer.from(data));
const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaves already hashed with leafHash; the empty tree's hash is SHA-256 of nothing. */
export function treeHash(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

/** PATH(m, D[n]) (RFC 9162 §2.1.3.1): the sibling hashes from leaf m up to the root, nearest first. */
export function inclusionPath(leaves: readonly Buffer[], m: number): Buffer[] {
  if (!Number.isInteger(m) || m < 0 || m >= leaves.length) throw new RangeError(`Leaf ${m} is not in a tree of ${leaves.length}.`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k ? [...inclusionPath(leaves.slice(0, k), m), treeHash(leaves.slice(k))] : [...inclusionPath(leaves.slice(k), m - k), treeHash(leaves.slice(0, k))];
}

/**
 * The root that leaf `index` of a tree of `size` leaves, with this hash and path, leads to (RFC 9162
 * §2.1.3.2); null when the path cannot belong to such a tree at all (wrong length, index out of range).
 */
export function rootFromPath(leaf: Buffer, index: number, size: number, path: readonly Buffer[]): Buffer | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** Whether the path proves leaf `index` of a tree of `size` leaves with this root. */
export function verifyInclusion(leaf: Buffer, index: number, size: number, path: readonly Buffer[], root: Buffer): boolean {
  const r = rootFromPath(leaf, index, size, path);
  return r !== null && r.equals(root);
}
