// What the browser journeys share: launching Debian's Chromium headless with no outside
// network, a tiny journey runner, axe-core, focus and layout checks, and screenshots.
//
// Run through `cargo test -p signpost --test browser` (tests/browser.rs), which starts the
// real server and passes its address and one-time links in the environment.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** An environment variable the Rust side must set. */
export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these through \`cargo test -p signpost --test browser\``);
  return v;
}

export const BASE = env('SIGNPOST_URL').replace(/\/$/, '');
export const ORIGIN = new URL(BASE).origin;
export const SHOTS = env('SIGNPOST_SCREENSHOTS');
mkdirSync(SHOTS, { recursive: true });

export const PHONE = { width: 375, height: 667 };
export const LAPTOP = { width: 1280, height: 800 };

/**
 * Headless Chromium from Debian's package, never a browser playwright would download. The
 * flags keep it off the network (no updates, sync, QUIC or first-run pings); playwright
 * gives every launch a fresh temporary --user-data-dir of its own.
 */
export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: run scripts/test, or apt-get install chromium`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

const journeys = [];

/** Declares a journey; `run()` runs them in order. */
export function journey(name, fn) {
  journeys.push({ name, fn });
}

/**
 * Runs every journey, carrying on after a failure so one run shows every problem, and
 * exits non-zero if any failed.
 */
export async function run(cleanup) {
  const failed = [];
  for (const j of journeys) {
    const t0 = Date.now();
    try {
      await j.fn();
      console.log(`ok    ${j.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed.push(j.name);
      console.log(`FAIL  ${j.name} (${Date.now() - t0} ms)\n${indent(e.stack || String(e))}`);
    }
  }
  const a11y = axeProblems.length;
  if (a11y) {
    console.log(`FAIL  accessibility: serious or critical axe-core violations\n${indent(axeProblems.join('\n'))}`);
  } else {
    console.log(`ok    accessibility: no serious or critical axe-core violations on ${axeChecked.size} page types (${[...axeChecked].join(', ')})`);
  }
  if (cleanup) await cleanup();
  if (failed.length || a11y) {
    console.log(`\n${failed.length} journey(s) failed${a11y ? ', and axe-core found violations' : ''}.`);
    process.exit(1);
  }
}

function indent(text) {
  return text.split('\n').map((l) => `      ${l}`).join('\n');
}

const AXE = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const axeProblems = [];
const axeChecked = new Set();

/**
 * Runs axe-core in the page against WCAG 2.0, 2.1 and 2.2 A and AA, and records every
 * serious or critical violation (the run fails at the end if there are any). It is
 * evaluated through the DevTools protocol rather than added as a <script>, so the page's
 * real Content-Security-Policy stays in force while it is tested.
 */
export async function axe(page, pageType) {
  axeChecked.add(pageType);
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ')}`),
    }));
  }, WCAG_A_AA);
  for (const v of result) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      axeProblems.push(`${pageType} (${page.url()}): ${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.join('\n  ')}`);
    } else {
      console.log(`note  ${pageType}: ${v.impact} ${v.id}: ${v.help}`);
    }
  }
}

/** Full-page screenshots at 375 and 1280 pixels wide: `<name>-375.png`, `<name>-1280.png`. */
export async function screenshots(page, name) {
  const was = page.viewportSize();
  for (const size of [PHONE, LAPTOP]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), fullPage: true });
  }
  await page.setViewportSize(was);
}

/** The page fits the screen: nothing to scroll sideways to. */
export async function fitsWidth(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${page.url()} scrolls sideways at ${width} px: it is ${scroll} px wide`);
}

/** What has keyboard focus, and whether a sighted keyboard user can see where it is. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false, text: '' };
    const s = getComputedStyle(el);
    // Signpost's own focus style: the browser's thin default ring (1 px, 'auto') is easy to
    // miss on the blue header, and a box-shadow alone proves nothing (buttons always have one).
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const box = el.getBoundingClientRect();
    const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
      href: el.getAttribute('href') || '',
      visible: outline && onScreen,
      style: `outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}${onScreen ? '' : ', off screen'}`,
    };
  });
}

/** Presses Tab until `wanted(focus)` holds, checking focus is visible at every step. */
export async function tabTo(page, wanted, what, most = 80) {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f.visible, `after ${i + 1} Tab presses towards ${what}, the focused ${f.tag} "${f.text}" has no visible focus indicator (${f.style})`);
    if (wanted(f)) return f;
  }
  throw new Error(`${most} Tab presses never reached ${what}`);
}

/** Every request a browser context makes, to check none leaves for another site. */
export function recordRequests(context) {
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** The requests that went anywhere but `allowed` origins (data: and about: are local). */
export function elsewhere(urls, allowed) {
  return urls.filter((u) => !/^(data|about|blob):/.test(u) && !allowed.includes(new URL(u).origin));
}

export { assert };
