// Build step 3 (after generate.mjs and tsc, which writes dist/esm with .d.ts files):
//  - dist/cjs/index.cjs: one CommonJS file for require(); dist/cjs/components/index.cjs likewise;
//  - dist/cjs/**/*.d.cts: the declarations again, as CommonJS declarations (see below);
//  - dist/browser/growthos.min.js: the script-tag bundle (window.GrowthOS, tracking only);
//  - dist/browser/growthos-components.js when the components exist.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => join(root, p);
const common = { bundle: true, target: ['es2019'], logLevel: 'warning', legalComments: 'none' };

rmSync(at('dist/cjs'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [at('src/index.ts')],
  outfile: at('dist/cjs/index.cjs'),
  format: 'cjs',
  platform: 'neutral',
  // require('@growthos/sdk') gives the named exports plus .default; make the default the module too.
  footer: { js: 'module.exports = Object.assign(module.exports.default, module.exports);' },
});
// require('@growthos/sdk/components'): loads in Node too (no DOM needed until an element is made).
await build({
  ...common,
  entryPoints: [at('src/components/index.ts')],
  outfile: at('dist/cjs/components/index.cjs'),
  format: 'cjs',
  platform: 'neutral',
});

// Types for require(): every dist/esm/**/*.d.ts again as dist/cjs/**/*.d.cts, relative specifiers
// './x.js' rewritten to './x.cjs' (which TypeScript resolves to ./x.d.cts). A .d.cts that re-exports
// the ESM tree instead fails a CommonJS consumer (module node16, skipLibCheck false) with TS1479.
function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}
for (const file of declarations(at('dist/esm'))) {
  const target = join(at('dist/cjs'), relative(at('dist/esm'), file)).replace(/\.d\.ts$/, '.d.cts');
  const text = readFileSync(file, 'utf8').replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.js\2/g, '$1$2$3.cjs$2');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

// window.GrowthOS is assigned by the entry, not made by globalName: esbuild builds a globalName's
// namespace object with a for-in loop, which a page that added an enumerable property to
// Object.prototype makes throw while the script loads (no window.GrowthOS at all).
await build({
  ...common,
  stdin: {
    contents: "import GrowthOS from './browser.js';\n(window as unknown as { GrowthOS: unknown }).GrowthOS = GrowthOS;\n",
    resolveDir: at('src'),
    loader: 'ts',
  },
  outfile: at('dist/browser/growthos.min.js'),
  banner: { js: '"use strict";' },
  format: 'iife',
  platform: 'browser',
  minify: true,
});

// The web components: all four in growthos-components.js, and each alone (for the size budgets
// and for pages that need one), each registering itself when loaded.
const components = { 'growthos-components': 'auto.ts', referral: 'participant.ts', waitlist: 'participant.ts', survey: 'survey.ts', 'social-proof': 'social-proof.ts' };
const classes = { referral: 'ReferralElement', waitlist: 'WaitlistElement', survey: 'SurveyElement', 'social-proof': 'SocialProofElement' };
for (const [name, file] of Object.entries(components)) {
  const entry = name === 'growthos-components'
    ? { entryPoints: [at('src/components/auto.ts')] }
    : {
        stdin: {
          contents: `import { ${classes[name]} as E } from './${file.replace('.ts', '.js')}';\nif (!customElements.get('growthos-${name}')) customElements.define('growthos-${name}', E);\n`,
          resolveDir: at('src/components'),
          loader: 'ts',
        },
      };
  await build({
    ...common,
    // ES2020 (optional chaining and ?? kept as written: 46 bytes less gzipped for all four). Custom
    // elements with shadow DOM need browsers of that age anyway; the tracking bundle stays ES2019.
    target: ['es2020'],
    // The components' own internal members, by name, shortened (126 bytes less gzipped for all
    // four, 2026-12-07: room for reset() to reach the elements on screen). Only names no DOM or
    // JSON object of the bundle uses; public members, attributes and the ESM build (tsc) keep theirs.
    mangleProps: /^(styleElement|stopTimers|stale|shown|runLater|runEvery|returnFocus|restart|responseId|reflect|referralCode|recorded|queued|askedUrl|adoptStyles|visitorText|countText|forgotten|forget|attempt|tokenKey|begin|thank|emit|fail)$/,
    ...entry,
    outfile: at(name === 'growthos-components' ? 'dist/browser/growthos-components.js' : `dist/browser/components/growthos-${name}.js`),
    format: 'iife',
    platform: 'browser',
    minify: true,
  });
}
console.log('built dist/cjs, dist/browser');
