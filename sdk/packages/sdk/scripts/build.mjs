// Build step 3 (after generate.mjs and tsc, which writes dist/esm with .d.ts files):
//  - dist/cjs/index.cjs: one CommonJS file for require();
//  - dist/browser/growthos.min.js: the script-tag bundle (window.GrowthOS, tracking only);
//  - dist/browser/growthos-components.js when the components exist.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => join(root, p);
const common = { bundle: true, target: ['es2019'], logLevel: 'warning', legalComments: 'none' };

await build({
  ...common,
  entryPoints: [at('src/index.ts')],
  outfile: at('dist/cjs/index.cjs'),
  format: 'cjs',
  platform: 'neutral',
  // require('@growthos/sdk') gives the named exports plus .default; make the default the module too.
  footer: { js: 'module.exports = Object.assign(module.exports.default, module.exports);' },
});
// Types for require(): the same declarations, as a .d.cts beside the CommonJS file.
writeFileSync(at('dist/cjs/index.d.cts'), "export * from '../esm/index.js';\nexport { default } from '../esm/index.js';\n");

await build({
  ...common,
  entryPoints: [at('src/browser.ts')],
  outfile: at('dist/browser/growthos.min.js'),
  format: 'iife',
  globalName: 'GrowthOS',
  footer: { js: 'GrowthOS=GrowthOS.default;' },
  platform: 'browser',
  minify: true,
});

if (existsSync(at('src/components/index.ts'))) {
  await build({
    ...common,
    entryPoints: [at('src/components/index.ts')],
    outfile: at('dist/browser/growthos-components.js'),
    format: 'iife',
    platform: 'browser',
    minify: true,
  });
}
console.log('built dist/cjs, dist/browser');
