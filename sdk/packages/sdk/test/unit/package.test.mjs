// Packaging: budgets of the browser bundles, the exports map, and the npm pack tarball installed
// into an empty project and loaded through import and require.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const pkgDir = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function gzipped(file) {
  return gzipSync(readFileSync(join(pkgDir, file)), { level: 9 }).length;
}

test('the script-tag tracking bundle is at most 10 KB minified and gzipped', () => {
  const size = gzipped('dist/browser/growthos.min.js');
  console.log(`growthos.min.js: ${size} bytes min+gzip`);
  assert.ok(size <= 10 * 1024, `${size} bytes`);
});

test('each web component is at most 8 KB minified and gzipped', { skip: !existsSync(join(pkgDir, 'dist/browser/components')) }, () => {
  for (const file of readdirSync(join(pkgDir, 'dist/browser/components'))) {
    const size = gzipped('dist/browser/components/' + file);
    console.log(`${file}: ${size} bytes min+gzip`);
    assert.ok(size <= 8 * 1024, `${file}: ${size} bytes`);
  }
});

test('package.json: exports map for import and require with types, no side effects, no run-time dependencies', () => {
  assert.equal(pkg.sideEffects, false);
  assert.deepEqual(pkg.dependencies ?? {}, {});
  for (const cond of ['import', 'require']) {
    for (const file of Object.values(pkg.exports['.'][cond])) assert.ok(existsSync(join(pkgDir, file)), file);
  }
});

test('npm pack makes a tarball that installs into an empty project and loads with import and require', () => {
  const work = mkdtempSync(join(tmpdir(), 'growthos-sdk-pack-'));
  try {
    const out = execFileSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: pkgDir, encoding: 'utf8' });
    const [{ filename, files }] = JSON.parse(out);
    assert.ok(files.some((f) => f.path === 'dist/browser/growthos.min.js'));
    assert.ok(!files.some((f) => f.path.startsWith('src/') || f.path.startsWith('test/')), 'only dist and README');
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, filename)], { cwd: app, stdio: 'pipe' });
    writeFileSync(
      join(app, 'esm.mjs'),
      "import GrowthOS, { Management, GrowthOSError } from '@growthos/sdk';\n" +
        "const gos = GrowthOS.init({ writeKey: 'gos_wk_x', host: 'http://127.0.0.1:9', flushInterval: 60000, onError() {} });\n" +
        "const m = new Management({ secretKey: 'gos_sk_x' });\n" +
        "console.log(JSON.stringify([typeof gos.track, typeof m.contacts.list, typeof GrowthOSError, GrowthOS.VERSION]));\n",
    );
    writeFileSync(
      join(app, 'cjs.cjs'),
      "const GrowthOS = require('@growthos/sdk');\n" +
        "const gos = GrowthOS.init({ writeKey: 'gos_wk_x', host: 'http://127.0.0.1:9', flushInterval: 60000, onError() {} });\n" +
        "const m = new GrowthOS.Management({ secretKey: 'gos_sk_x' });\n" +
        "console.log(JSON.stringify([typeof gos.track, typeof m.contacts.list, typeof GrowthOS.default.init, GrowthOS.VERSION]));\n",
    );
    const esm = JSON.parse(execFileSync(process.execPath, ['esm.mjs'], { cwd: app, encoding: 'utf8' }));
    assert.deepEqual(esm, ['function', 'function', 'function', pkg.version]);
    const cjs = JSON.parse(execFileSync(process.execPath, ['cjs.cjs'], { cwd: app, encoding: 'utf8' }));
    assert.deepEqual(cjs, ['function', 'function', 'function', pkg.version]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
