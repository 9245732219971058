// Runs the tests that need a running GrowthOS (test/integration, test/browser) against the
// packaged stack: the local-stack launcher jar (`./growthos start`'s own launcher: embedded
// PostgreSQL, ingest and management services) started on free ports with its data under target/,
// stopped (as Ctrl-C does) when the tests end. With GROWTHOS_CREDENTIALS=<credentials.json of a
// running stack> it uses that stack instead.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const home = resolve(process.env.GROWTHOS_HOME || join(pkgDir, '../../..'));
const target = resolve(process.env.GROWTHOS_SDK_TARGET || join(home, 'sdk/target'));
const START_TIMEOUT_MS = 5 * 60 * 1000;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function launcherJar() {
  const dir = join(home, 'local-stack/target');
  const jar = existsSync(dir) && readdirSync(dir).find((f) => /^local-stack-.*\.jar$/.test(f));
  for (const module of ['ingest-service', 'management-service']) {
    const mdir = join(home, module, 'target');
    if (!existsSync(mdir) || !readdirSync(mdir).some((f) => f.startsWith(module + '-') && f.endsWith('.jar'))) {
      throw new Error(`${module} is not packaged in ${home}: run ./mvnw verify (the sdk module comes last) or ./mvnw -DskipTests package`);
    }
  }
  if (!jar) throw new Error(`local-stack is not packaged in ${dir}: run ./mvnw -DskipTests package first`);
  return join(dir, jar);
}

async function startStack() {
  const [ingestPort, managementPort] = [await freePort(), await freePort()];
  const dataDir = join(target, `stack-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java';
  const child = spawn(java, ['-Xmx64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', launcherJar(), 'start'], {
    env: {
      ...process.env,
      GROWTHOS_HOME: home,
      GROWTHOS_DATA_DIR: dataDir,
      GROWTHOS_INGEST_PORT: String(ingestPort),
      GROWTHOS_MANAGEMENT_PORT: String(managementPort),
      GROWTHOS_START_TIMEOUT: String(START_TIMEOUT_MS / 1000),
      GROWTHOS_SERVICE_JAVA_OPTS: '-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const started = Date.now();
  console.log(`# starting the stack (local-stack launcher) on ports ${ingestPort}/${managementPort}, data in ${dataDir}`);
  await new Promise((ok, fail) => {
    const timer = setInterval(() => {
      if (output.includes('GrowthOS is running.')) {
        clearInterval(timer);
        ok();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        fail(new Error(`the launcher exited with ${child.exitCode} before it was ready:\n${output}`));
      } else if (Date.now() - started > START_TIMEOUT_MS) {
        clearInterval(timer);
        fail(new Error(`the stack was not ready after ${START_TIMEOUT_MS / 1000} s:\n${output}`));
      }
    }, 250);
  });
  console.log(`# stack ready in ${Math.round((Date.now() - started) / 1000)} s`);
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const exited = await Promise.race([
      new Promise((ok) => child.once('exit', () => ok(true))),
      new Promise((ok) => setTimeout(() => ok(false), 120000)),
    ]);
    if (!exited) {
      console.log('# the launcher did not stop in 120 s; killing it\n' + output);
      child.kill('SIGKILL');
    }
  };
  return { credentials: join(dataDir, 'credentials.json'), stop, output: () => output, dataDir };
}

let stack;
let code = 1;
try {
  const external = process.env.GROWTHOS_CREDENTIALS;
  stack = external ? { credentials: resolve(external), stop: async () => {}, output: () => '' } : await startStack();
  const creds = JSON.parse(readFileSync(stack.credentials, 'utf8'));
  const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['test/integration/', 'test/browser/'];
  // One test file at a time (Node 20+): the stack and the machine are shared.
  const serial = Number(process.versions.node.split('.')[0]) >= 20 ? ['--test-concurrency=1'] : [];
  const runner = spawn(process.execPath, ['--test', ...serial, ...dirs], {
    cwd: pkgDir,
    stdio: 'inherit',
    env: { ...process.env, GROWTHOS_TEST_CREDENTIALS: JSON.stringify(creds), GROWTHOS_SDK_TARGET: target },
  });
  const stopOnSignal = () => runner.kill('SIGTERM');
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  code = await new Promise((ok) => runner.once('exit', (c, signal) => ok(c ?? (signal ? 1 : 0))));
} catch (e) {
  console.error(e && e.stack ? e.stack : String(e));
  code = 1;
} finally {
  if (stack) await stack.stop();
  // The stack's data (PostgreSQL binaries and cluster, logs) stays for a failed run, to read.
  if (stack && stack.dataDir && code === 0) rmSync(stack.dataDir, { recursive: true, force: true });
}
process.exit(code);
