// OpenZeppelin's StandardMerkleTree (npm @openzeppelin/merkle-tree, from contracts/node_modules)
// as the reference for tests/unit/airdrop/test_merkle.py.
//
// stdin: a JSON list of jobs, each {"types": [...], "values": [[...], ...]} (build the tree)
// or {"dump": {...}} (load a standard-v1 dump; load checks every hash).
// stdout: a JSON list with, per job, {"root", "proofs" (one per value, by index), "dump",
// "verified" (StandardMerkleTree.verify of every value with its proof)}.
'use strict';
const path = require('path');

const modules = path.resolve(__dirname, '..', '..', '..', 'contracts', 'node_modules');
let StandardMerkleTree;
try {
  ({ StandardMerkleTree } = require(path.join(modules, '@openzeppelin', 'merkle-tree')));
} catch (error) {
  process.stderr.write(
    `@openzeppelin/merkle-tree is not in ${modules}: ` +
      'run `npm install --prefix contracts --no-save` (make install-dev)\n',
  );
  process.exit(3);
}

const jobs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const answers = jobs.map(job => {
  const tree = job.dump
    ? StandardMerkleTree.load(job.dump)
    : StandardMerkleTree.of(job.values, job.types);
  const proofs = [];
  let verified = true;
  for (const [i, value] of tree.entries()) {
    const proof = tree.getProof(i);
    proofs.push(proof);
    verified = verified && StandardMerkleTree.verify(tree.root, tree.leafEncoding, value, proof);
  }
  return { root: tree.root, proofs, dump: tree.dump(), verified };
});
process.stdout.write(JSON.stringify(answers));
