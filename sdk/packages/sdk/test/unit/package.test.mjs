// Packaging: budgets of the browser bundles, the exports map, and the npm pack tarball installed
// into an empty project and loaded through import and require.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import vm from 'node:vm';

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

test('the script-tag tracking bundle loads and tracks on a page that added an enumerable property to Object.prototype', () => {
  // A page (or an old library on it) that extends Object.prototype: the bundle must still define
  // window.GrowthOS instead of throwing while it loads, and track() must work.
  const sandbox = { console, setTimeout, clearTimeout, setInterval, clearInterval, TextEncoder, btoa, crypto: globalThis.crypto };
  const context = vm.createContext(sandbox);
  vm.runInContext('var window = globalThis; Object.prototype.polluted = "yes";', context);
  const code = readFileSync(join(pkgDir, 'dist/browser/growthos.min.js'), 'utf8');
  assert.doesNotThrow(() => vm.runInContext(code, context, { filename: 'growthos.min.js' }));
  const sent = [];
  context.fakeFetch = async (url, init) => {
    sent.push(JSON.parse(init.body));
    return new Response('{"success":true}', { status: 200 });
  };
  const id = vm.runInContext(
    'var gos = window.GrowthOS.init({ writeKey: "gos_wk_x", host: "http://ingest.test", fetch: fakeFetch, storage: false, flushInterval: 60000, onError() {} });' +
      'gos.track("Polluted Page", { a: 1 })',
    context,
  );
  assert.match(String(id), /^[0-9a-f-]{36}$/);
  return vm.runInContext('gos.flush()', context).then(() => {
    assert.deepEqual(sent.flatMap((b) => b.batch.map((e) => e.event)), ['Polluted Page']);
    vm.runInContext('gos.close({ timeout: 0 })', context);
  });
});

test('each web component is at most 8 KB minified and gzipped', { skip: !existsSync(join(pkgDir, 'dist/browser/components')) }, () => {
  for (const file of readdirSync(join(pkgDir, 'dist/browser/components'))) {
    const size = gzipped('dist/browser/components/' + file);
    console.log(`${file}: ${size} bytes min+gzip`);
    assert.ok(size <= 8 * 1024, `${file}: ${size} bytes`);
  }
});

// All four in one script tag: less than the sum of the four (they share the base element, the
// theme and the request code), more than any one; 10 KB leaves room to grow, like the tracking bundle's.
test('the script-tag bundle of all four web components is at most 10 KB minified and gzipped', { skip: !existsSync(join(pkgDir, 'dist/browser/growthos-components.js')) }, () => {
  const size = gzipped('dist/browser/growthos-components.js');
  console.log(`growthos-components.js: ${size} bytes min+gzip`);
  assert.ok(size <= 10 * 1024, `${size} bytes`);
});

test('package.json: exports map for import and require with types, no side effects, no run-time dependencies', () => {
  assert.equal(pkg.sideEffects, false);
  assert.deepEqual(pkg.dependencies ?? {}, {});
  for (const entry of ['.', './components']) {
    for (const cond of ['import', 'require']) {
      for (const file of Object.values(pkg.exports[entry][cond])) assert.ok(existsSync(join(pkgDir, file)), `${entry} ${cond}: ${file}`);
    }
  }
});

// One tarball, installed (offline, no dependencies) into an empty project, for the tests below.
let work;
let app;
let packed;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'growthos-sdk-pack-'));
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: pkgDir, encoding: 'utf8' });
  [packed] = JSON.parse(out);
  app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename)], { cwd: app, stdio: 'pipe' });
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const run = (file) => JSON.parse(execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8' }));

test('npm pack makes a tarball that installs into an empty project and loads with import and require', () => {
  const { files } = packed;
  assert.ok(files.some((f) => f.path === 'dist/browser/growthos.min.js'));
  assert.ok(!files.some((f) => f.path.startsWith('src/') || f.path.startsWith('test/')), 'only dist and README');
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
  assert.deepEqual(run('esm.mjs'), ['function', 'function', 'function', pkg.version]);
  assert.deepEqual(run('cjs.cjs'), ['function', 'function', 'function', pkg.version]);
});

test('@growthos/sdk/components loads in Node with import and with require; registering is a no-op without a DOM', () => {
  writeFileSync(
    join(app, 'components.mjs'),
    "import { defineGrowthOSElements, WaitlistElement } from '@growthos/sdk/components';\n" +
      'defineGrowthOSElements();\n' +
      'console.log(JSON.stringify([typeof WaitlistElement, typeof defineGrowthOSElements]));\n',
  );
  writeFileSync(
    join(app, 'components.cjs'),
    "const { defineGrowthOSElements, WaitlistElement } = require('@growthos/sdk/components');\n" +
      'defineGrowthOSElements();\n' +
      'console.log(JSON.stringify([typeof WaitlistElement, typeof defineGrowthOSElements]));\n',
  );
  assert.deepEqual(run('components.mjs'), ['function', 'function']);
  assert.deepEqual(run('components.cjs'), ['function', 'function']);
});

test('GrowthOSError: instanceof holds across the import and the require copy of the package', () => {
  writeFileSync(
    join(app, 'dual.mjs'),
    "import { createRequire } from 'node:module';\n" +
      "import { GrowthOSError as Esm } from '@growthos/sdk';\n" +
      "const { GrowthOSError: Cjs } = createRequire(import.meta.url)('@growthos/sdk');\n" +
      "const e = new Esm({ message: 'm', code: 'c', status: 400 });\n" +
      "const c = Cjs.fromResponse(404, { error: { code: 'not_found', message: 'no' } });\n" +
      'console.log(JSON.stringify([e instanceof Cjs, c instanceof Esm, e instanceof Esm, c instanceof Cjs, e instanceof Error, new Error() instanceof Esm, {} instanceof Cjs]));\n',
  );
  assert.deepEqual(run('dual.mjs'), [true, true, true, true, true, false, false]);
});

// TypeScript consumers of the tarball, with the typescript of the devDependencies and
// skipLibCheck off, so the package's own declarations are checked too.
const tsc = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');

function typeCheck(dir, file, source, resolution = { module: 'node16', moduleResolution: 'node16' }) {
  const at = join(app, dir);
  execFileSync('mkdir', ['-p', at]);
  writeFileSync(join(at, file), source);
  writeFileSync(
    join(at, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...resolution, target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: [file],
    }),
  );
  const r = spawnSync(process.execPath, [tsc, '-p', at], { cwd: at, encoding: 'utf8' });
  return { status: r.status, output: (r.stdout || '') + (r.stderr || '') };
}

const consumer = (imports) =>
  imports +
  "const m = new Management({ secretKey: 'gos_sk_x' });\n" +
  "let e: GrowthOSError | undefined = GrowthOSError.fromResponse(400, null);\n" +
  'defineGrowthOSElements();\n' +
  "const tag: string = WaitlistElement.name + String(e) + String(m);\n" +
  '// @ts-expect-error the types are real (not any): a client is not a number\n' +
  'const n: number = m.contacts;\n' +
  'export { tag, n };\n';

test('a CommonJS TypeScript consumer (module node16, skipLibCheck false) type-checks against the package declarations', () => {
  const { status, output } = typeCheck(
    'ts-cjs',
    'a.cts',
    consumer(
      "import GrowthOS = require('@growthos/sdk');\n" +
        "import { Management, GrowthOSError } from '@growthos/sdk';\n" +
        "import { defineGrowthOSElements, WaitlistElement } from '@growthos/sdk/components';\n" +
        "GrowthOS.init({ writeKey: 'gos_wk_x' });\n" +
        "GrowthOS.default.init({ writeKey: 'gos_wk_x' });\n",
    ),
  );
  assert.equal(status, 0, output);
});

test('an ESM TypeScript consumer (module node16, skipLibCheck false) type-checks against the package declarations', () => {
  const { status, output } = typeCheck(
    'ts-esm',
    'a.mts',
    consumer(
      "import GrowthOS, { Management, GrowthOSError } from '@growthos/sdk';\n" +
        "import { defineGrowthOSElements, WaitlistElement } from '@growthos/sdk/components';\n" +
        "GrowthOS.init({ writeKey: 'gos_wk_x' });\n",
    ),
  );
  assert.equal(status, 0, output);
});

// moduleResolution node10 (TypeScript's "node", still the default of module commonjs) ignores the
// exports map: the subpath's types come from typesVersions.
test('a TypeScript consumer with moduleResolution node10 (module commonjs) finds the types of @growthos/sdk and @growthos/sdk/components', () => {
  const { status, output } = typeCheck(
    'ts-node10',
    'a.ts',
    consumer(
      "import GrowthOS, { Management, GrowthOSError } from '@growthos/sdk';\n" +
        "import { defineGrowthOSElements, WaitlistElement } from '@growthos/sdk/components';\n" +
        "GrowthOS.init({ writeKey: 'gos_wk_x' });\n",
    ),
    { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true },
  );
  assert.equal(status, 0, output);
});
