// README.md's "The API at a glance" is a session a new user copies into a shell: every `sh` block
// of that section, run as written (only the ports of its URLs, the path of credentials.json and
// the webhook receiver's port replaced, and the wait before the delivery log longer) with bash and curl against the stack run.mjs started.
// What its comments show must be what the stack answers: every "field":value of a commented
// answer whose value is written out (not elided with …), and the HTTP status and header lines.
// The README is written for a fresh stack, so it runs in a workspace of its own, created with the
// admin key (other test files share the stack). Needs bash, curl and python3 (the webhook receiver).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentials } from '../stack.mjs';

const creds = credentials();
const home = resolve(process.env.GROWTHOS_HOME || join(dirname(fileURLToPath(import.meta.url)), '../../../../..'));

/** The `sh` blocks between two level-2 headings, with the line each starts on. */
export function shBlocks(markdown, fromHeading, toHeading) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l === fromHeading);
  const end = lines.findIndex((l, i) => i > start && l === toHeading);
  assert.ok(start >= 0 && end > start, `README has "${fromHeading}" then "${toHeading}"`);
  const blocks = [];
  let current = null;
  for (let i = start; i < end; i++) {
    if (current === null && /^```sh\s*$/.test(lines[i])) current = { line: i + 1, lines: [] };
    else if (current !== null && /^```\s*$/.test(lines[i])) (blocks.push(current), (current = null));
    else if (current !== null) current.lines.push(lines[i]);
  }
  return blocks;
}

const EXPECTED_START = /^# ([{[]|HTTP\/|Idempotent-Replayed:|verified )/;
const CONTINUATION = /^#\s{2,}\S/;

/**
 * The block as a script that prints a marker where each commented answer begins, and the
 * commented answers (the comment lines, without their "# ") in order.
 */
export function instrument(block) {
  const script = [];
  const expected = [];
  let inAnswer = false;
  for (const line of block.lines) {
    if (EXPECTED_START.test(line) || (inAnswer && CONTINUATION.test(line))) {
      if (!inAnswer) {
        script.push(`printf '\\n@@ANSWER ${expected.length}@@\\n'`);
        expected.push([]);
      }
      expected[expected.length - 1].push(line.replace(/^# ?/, ''));
      inAnswer = true;
    } else {
      script.push(line);
      inAnswer = false;
    }
  }
  return { script: script.join('\n'), expected: expected.map((e) => e.join('\n')) };
}

const squash = (s) => s.replace(/([:,])\s+/g, '$1');

/** What a commented answer states exactly: "k":value pairs not elided, status and header lines. */
export function statements(answer) {
  const out = [];
  const text = squash(answer);
  for (const m of text.matchAll(/"[a-z_]+":(?:"(?:[^"\\…]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)(?=[,}\]])/g)) out.push(m[0]);
  for (const m of answer.matchAll(/^(HTTP\/1\.1 \d{3}|Idempotent-Replayed: true|verified\s+[a-z_.]+)/gm)) out.push(m[1]);
  return out;
}

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

test("every example of README's API at a glance runs as written and answers what its comments show", async () => {
  const readme = readFileSync(join(home, 'README.md'), 'utf8');
  const blocks = shBlocks(readme, '## The API at a glance', '## JavaScript SDK');
  assert.ok(blocks.length >= 8, `found ${blocks.length} sh blocks`);

  const dir = mkdtempSync(join(tmpdir(), 'growthos-readme-'));
  const created = await fetch(`${creds.management_url}/v1/workspaces`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${creds.admin_key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'README examples', plan: 'scale' }),
  });
  assert.equal(created.status, 201);
  const fresh = await created.json();
  const credentialsFile = join(dir, 'credentials.json');
  writeFileSync(
    credentialsFile,
    JSON.stringify(
      { ...creds, workspace_id: fresh.workspace.id, write_key: fresh.write_key, secret_key: fresh.secret_key },
      null,
      2,
    ),
  );
  const receiverPort = String(await freePort());
  const localize = (text) =>
    text
      .replaceAll('http://localhost:8081', creds.ingest_url)
      .replaceAll('http://localhost:8082', creds.management_url)
      .replaceAll('.growthos/credentials.json', credentialsFile)
      .replace(/\b9000\b/g, receiverPort)
      // The one wait that depends on the machine: a reader's quiet machine delivers within a
      // second, a CI machine running the whole build beside the stack may take longer.
      .replaceAll('sleep 3; curl', 'sleep 10; curl');

  // One shell for the whole section, as a reader runs it: variables carry from block to block.
  const parts = blocks.map((b, i) => {
    const { script, expected } = instrument(b);
    return { block: b, index: i, script: localize(script), expected };
  });
  const script = parts.map((p) => `printf '\\n@@BLOCK ${p.index}@@\\n'\n${p.script}`).join('\n');
  writeFileSync(join(dir, 'readme.sh'), script);
  const run = spawnSync('bash', [join(dir, 'readme.sh')], { cwd: home, encoding: 'utf8', timeout: 240000 });
  assert.equal(run.status, 0, `bash exited with ${run.status}:\n${run.stderr}\n${run.stdout}`);
  const out = run.stdout;

  const problems = [];
  for (const p of parts) {
    const blockStart = out.indexOf(`@@BLOCK ${p.index}@@`);
    assert.ok(blockStart >= 0, `block at README.md:${p.block.line} ran`);
    const blockEnd = p.index + 1 < parts.length ? out.indexOf(`@@BLOCK ${p.index + 1}@@`) : out.length;
    const blockOut = out.slice(blockStart, blockEnd);
    let from = 0;
    p.expected.forEach((answer, n) => {
      const marker = `@@ANSWER ${n}@@`;
      const at = blockOut.indexOf(marker, from);
      // What a command printed before its comment (the receiver prints in the background, so
      // its lines may come later in the block): everything of the block up to the next answer.
      const before = blockOut.slice(from, at);
      const after = blockOut.slice(at + marker.length);
      const next = after.indexOf('@@ANSWER ');
      const actual = squash(before + (answer.startsWith('verified') ? after : after.slice(0, Math.max(next, 0))));
      for (const s of statements(answer)) {
        if (!actual.includes(squash(s))) {
          problems.push(`README.md block at line ${p.block.line}, answer ${n + 1}: expected ${s} in\n${before.trim().slice(-600)}`);
        }
      }
      from = at + marker.length;
    });
    assert.ok(!/"code":"internal_error"/.test(blockOut), `no 500 in the block at README.md:${p.block.line}`);
  }
  assert.deepEqual(problems, []);
});
