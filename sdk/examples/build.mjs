// Builds the React and Vue examples with esbuild (a dev dependency of @growthos/sdk) from the npm
// packages react, react-dom and vue: `node build.mjs [outdir]` (default: dist/ next to this file).
// Needs the SDK built first (`npm run build` in sdk/): @growthos/sdk resolves to the workspace.
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export async function buildExamples(outdir = join(here, 'dist')) {
  await build({
    entryPoints: { react: join(here, 'react.jsx'), vue: join(here, 'vue.js') },
    outdir,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    minify: true,
    logLevel: 'warning',
    // The full build of vue, with the template compiler (the default entry is runtime-only).
    alias: { vue: require.resolve('vue/dist/vue.esm-bundler.js') },
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log('built into', await buildExamples(process.argv[2] ? resolve(process.argv[2]) : undefined));
}
