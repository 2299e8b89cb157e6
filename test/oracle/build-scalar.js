// Child process of differential.test.ts: builds with the scalar kernels (ANNOY_NAPI_SIMD=scalar
// must be set before the addon loads) so that sums run in Annoy's order at every dimension.
//   node build-scalar.js METRIC F SEED N_TREES ITEMS.f32 IDS.i32 OUT.ann
'use strict';
const fs = require('fs');
const path = require('path');
const { NativeIndex } = require('node-gyp-build')(path.resolve(__dirname, '../..'));

const [metric, f, seed, nTrees, itemsPath, idsPath, out] = process.argv.slice(2);
const dim = Number(f);
const items = new Float32Array(new Uint8Array(fs.readFileSync(itemsPath)).buffer);
const ids = new Int32Array(new Uint8Array(fs.readFileSync(idsPath)).buffer);
const index = new NativeIndex(metric, dim);
ids.forEach((id, k) => index.addItem(id, items.subarray(k * dim, (k + 1) * dim)));
index.setSeed(BigInt(seed));
index.build(Number(nTrees), 1);
index.save(out, false);
