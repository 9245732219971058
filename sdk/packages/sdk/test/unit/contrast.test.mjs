// WCAG 2.x AA contrast of the default theme: every `--gos-color-*` custom property default in the
// component CSS (the shared THEME of base.ts plus each component's own CSS), paired as the CSS uses
// them, with the WCAG relative-luminance formula. Normal text needs 4.5:1; UI component boundaries
// (input and box borders, the button edge) and the focus ring need 3:1 (SC 1.4.3 and 1.4.11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const src = (f) => readFileSync(new URL(`../../src/components/${f}`, import.meta.url), 'utf8');
const THEME = src('base.ts');
// The elements and the file whose CSS they add to THEME (base.ts renders `${THEME}${this.css()}`).
const COMPONENTS = {
  'growthos-waitlist / growthos-referral': 'participant.ts',
  'growthos-social-proof': 'social-proof.ts',
  'growthos-survey': 'survey.ts',
};

function hexToRgb(hex) {
  let h = hex.replace('#', '');
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  assert.match(h, /^[0-9a-f]{6}$/i, `a plain hex colour: ${hex}`);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}

/** WCAG relative luminance (sRGB). */
export function luminance(hex) {
  const [r, g, b] = hexToRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every default of a `--gos-color-*` property in the CSS; one property has one default. */
function defaults(css) {
  const found = {};
  for (const m of css.matchAll(/var\(--gos-color-([a-z-]+)\s*,\s*([^)]+)\)/g)) {
    const [, name, value] = m;
    const v = value.trim().toLowerCase();
    if (found[name]) assert.equal(v, found[name], `--gos-color-${name} has one default`);
    found[name] = v;
  }
  return found;
}

// [foreground, background, minimum, what]
const PAIRS = [
  ['text', 'background', 4.5, 'body text on the box'],
  ['text', 'input', 4.5, 'typed text in inputs (color: inherit)'],
  ['on-primary', 'primary', 4.5, 'button label on the primary button'],
  ['primary', 'background', 4.5, 'secondary button label (primary on the box)'],
  ['error', 'background', 4.5, 'error message on the box'],
  ['border', 'background', 3, 'box and scale borders'],
  ['border', 'input', 3, 'input border'],
  ['primary', 'background', 3, 'primary button boundary'],
  ['focus', 'background', 3, 'focus ring'],
];

test('the WCAG contrast formula matches known values (black/white 21:1, #777 on white 4.48:1)', () => {
  assert.equal(contrast('#000', '#fff').toFixed(2), '21.00');
  assert.equal(contrast('#777777', '#ffffff').toFixed(2), '4.48');
  assert.equal(contrast('#fff', '#fff'), 1);
});

for (const [element, file] of Object.entries(COMPONENTS)) {
  test(`${element}: the default colours pass WCAG AA (text 4.5:1, borders and focus ring 3:1)`, () => {
    const css = THEME + src(file);
    const d = defaults(css);
    const failures = [];
    for (const [fg, bg, min, what] of PAIRS) {
      if (!(fg in d) || !(bg in d)) continue;
      const c = contrast(d[fg], d[bg]);
      if (c < min) failures.push(`${what}: --gos-color-${fg} ${d[fg]} on --gos-color-${bg} ${d[bg]} is ${c.toFixed(2)}:1 < ${min}:1`);
    }
    // Every colour property the CSS uses is in a checked pair.
    const checked = new Set(PAIRS.flatMap(([fg, bg]) => [fg, bg]));
    for (const name of Object.keys(d)) assert.ok(checked.has(name), `--gos-color-${name} is not checked by any pair`);
    for (const needed of ['text', 'background', 'primary', 'on-primary', 'focus']) assert.ok(needed in d, `--gos-color-${needed} has a default`);
    assert.deepEqual(failures, []);
  });
}
