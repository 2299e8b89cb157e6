// Fetches and converts the benchmark data sets into bench/.cache (see ../../shared/datasets or
// docs/benchmarks.md): Fashion-MNIST from Debian's dataset-fashion-mnist package.
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

module.exports = { fashionMnist, CACHE };

if (require.main === module) {
  const set = fashionMnist();
  console.log(`${set.name}: base ${set.base.rows} x ${set.dim}, queries ${set.queries.rows} x ${set.dim}`);
}
