// The map, on a server started with `--map-tiles http://tiles.test/{z}/{x}/{y}.png`. The
// tile host does not exist: the browser's requests to it are answered here with a small
// generated PNG, so nothing leaves the machine. With JavaScript off the list stands alone.

import { deflateSync } from 'node:zlib';

import {
  BASE, LAPTOP, ORIGIN, PHONE, assert, axe, elsewhere, env, fitsWidth, journey, launch,
  recordRequests, run, screenshots,
} from './lib.mjs';

const TILES = env('SIGNPOST_MAP_TILES');
const TILE_ORIGIN = new URL(TILES.replace(/[{}]/g, '')).origin;

/** A 256x256 PNG of one light grey-green, made here so the test needs no image files. */
function tilePng() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const size = 256;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([0xdc, 0xe8, 0xd4]))]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PNG = tilePng();

const browser = await launch();
const requests = [];
const tileRequests = [];
const cspErrors = [];

async function context(options) {
  const ctx = await browser.newContext(options);
  requests.push(recordRequests(ctx));
  await ctx.route(`${TILE_ORIGIN}/**`, (route) => {
    tileRequests.push(route.request().url());
    route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
  });
  return ctx;
}

/** Watches the console for anything the Content-Security-Policy blocked. */
async function page(ctx) {
  const p = await ctx.newPage();
  p.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text()); });
  p.on('pageerror', (e) => cspErrors.push(`script error: ${e.message}`));
  return p;
}

/** The map on a page: its markers, and the list entries with coordinates they stand for. */
async function drawn(p) {
  const map = p.locator('section.map');
  await map.locator('a.marker').first().waitFor();
  assert.ok(await map.isVisible(), 'the map is shown');
  const markers = await map.locator('a.marker').evaluateAll((as) => as.map((a) => ({
    text: a.textContent, label: a.getAttribute('aria-label'), target: a.getAttribute('href').slice(1),
    x: parseFloat(a.style.left), y: parseFloat(a.style.top),
  })));
  const placed = await p.locator('[data-lat][data-lon]').evaluateAll((els) => els.map((e) => e.id));
  const tiles = await map.locator('img').evaluateAll((imgs) => imgs.map((i) => ({ src: i.src, done: i.complete && i.naturalWidth === 256 })));
  const box = await map.boundingBox();
  return { map, markers, placed, tiles, box };
}

function checkMarkers({ markers, placed, tiles, box }, what) {
  assert.ok(placed.length > 0, `${what}: some venues have coordinates`);
  assert.equal(markers.length, placed.length, `${what}: one marker per venue with coordinates`);
  markers.forEach((m, i) => {
    assert.equal(m.text, String(i + 1), `${what}: markers are numbered in list order`);
    assert.equal(m.target, placed[i], `${what}: marker ${i + 1} links to its place in the list`);
    assert.ok(m.x >= 0 && m.x <= box.width && m.y >= 0 && m.y <= box.height,
      `${what}: marker ${i + 1} is inside the map (${m.x}, ${m.y} in ${box.width}x${box.height})`);
  });
  assert.ok(tiles.length > 0, `${what}: tiles are drawn`);
  for (const t of tiles) {
    assert.match(t.src, /^http:\/\/tiles\.test\/\d+\/\d+\/\d+\.png$/, `${what}: tile address from the template`);
    assert.ok(t.done, `${what}: tile ${t.src} loaded`);
  }
}

journey('results and a listing show their venues on the map, with numbered markers', async () => {
  const ctx = await context({ viewport: PHONE, isMobile: true, hasTouch: true });
  const p = await page(ctx);
  await p.goto(`${BASE}/?q=football&near=HU5&radius_km=10`);
  const results = await drawn(p);
  checkMarkers(results, 'results');
  // The map is below the list on a phone, so the first result is still on the first screen,
  // and a link near the top leads to it.
  const first = await p.locator('li.result h3').first().boundingBox();
  assert.ok(first.y + first.height <= PHONE.height, `first result on the first screen (${first.y})`);
  assert.ok(results.box.y > first.y, 'the map comes after the first result');
  assert.ok(await p.getByRole('link', { name: 'See them on a map' }).isVisible());
  const firstTitle = (await p.locator('li.result h3 a').first().innerText()).trim();
  assert.equal(results.markers[0].label, `1: ${firstTitle}`, 'marker 1 is named after the first result');
  // The list entry carries the marker's number.
  assert.equal(await p.locator('li.result').first().locator('.map-number').innerText(), '1');
  assert.match(await p.locator('.map-credit').innerText(), /OpenStreetMap contributors/);
  await fitsWidth(p);
  await axe(p, 'search results with a map');
  await screenshots(p, 'map-search-results');

  // A marker takes you to its entry in the list.
  await p.locator('a.marker').first().click();
  assert.equal(new URL(p.url()).hash, `#${results.placed[0]}`);

  await p.locator('li.result h3 a').first().click();
  await p.waitForURL(/\/activities\//);
  const listing = await drawn(p);
  checkMarkers(listing, 'listing');
  assert.equal(listing.markers.length, await p.locator('div.venue').count(), 'one marker per venue');
  await fitsWidth(p);
  await axe(p, 'listing with a map');
  await screenshots(p, 'map-listing');
  await ctx.close();
});

journey('on a wide screen the map stands beside the list, on the first screen', async () => {
  // At 1024 px the list stays as wide as on a phone, beside the filters and the map.
  const narrow = await context({ viewport: { width: 1024, height: 768 } });
  const n = await page(narrow);
  await n.goto(`${BASE}/?q=football&near=HU5&radius_km=10`);
  const beside = await drawn(n);
  const narrowList = await n.locator('ol.result-list').first().boundingBox();
  assert.ok(beside.box.x >= narrowList.x + narrowList.width, 'at 1024 px the map is beside the list');
  assert.ok(narrowList.width >= 320, `the list at 1024 px is ${narrowList.width}px wide`);
  await fitsWidth(n);
  await narrow.close();

  const ctx = await context({ viewport: LAPTOP });
  const p = await page(ctx);
  await p.goto(`${BASE}/?near=HU5&radius_km=10`);
  const results = await drawn(p);
  checkMarkers(results, 'results beside the map');
  const list = await p.locator('ol.result-list').first().boundingBox();
  assert.ok(results.box.x >= list.x + list.width, `map (x ${results.box.x}) right of the list (ends ${list.x + list.width})`);
  assert.ok(results.box.y + 300 <= LAPTOP.height, `at least 300px of the map on the first screen (top at ${results.box.y})`);
  assert.ok(results.box.height >= 300, `a map worth looking at (${results.box.height}px high)`);
  assert.equal(await p.getByRole('link', { name: 'See them on a map' }).isVisible(), false, 'no link to what is already beside it');
  // It stays in view while the list scrolls.
  await p.evaluate(() => window.scrollTo(0, 1500));
  await p.waitForFunction(() => window.scrollY > 1000);
  const after = await p.locator('section.map').boundingBox();
  assert.ok(after.y >= 0 && after.y < 50, `the map stays on screen (${after.y})`);
  await fitsWidth(p);
  await axe(p, 'search results with the map beside them');
  await screenshots(p, 'map-beside-results');
  await ctx.close();
});

journey('a listing with several venues fits them all on the map', async () => {
  const ctx = await context({ viewport: LAPTOP });
  const p = await page(ctx);
  await p.goto(`${BASE}/activities/${env('SIGNPOST_MANY_VENUES')}`);
  const listing = await drawn(p);
  checkMarkers(listing, 'listing with several venues');
  assert.ok(listing.markers.length >= 2, 'the listing has several venues');
  await ctx.close();
});

journey('with JavaScript off the map stays out of the way and the list stands alone', async () => {
  const ctx = await context({ viewport: PHONE, javaScriptEnabled: false });
  const p = await ctx.newPage();
  const before = tileRequests.length;
  await p.goto(`${BASE}/?q=football&near=HU5&radius_km=10`);
  assert.ok(await p.locator('li.result').count() > 0);
  assert.equal(await p.locator('section.map').isVisible(), false, 'no empty map box');
  await p.locator('li.result h3 a').first().click();
  await p.waitForURL(/\/activities\//);
  assert.ok(await p.getByRole('link', { name: /on a map \(OpenStreetMap\)/ }).first().isVisible());
  assert.equal(await p.locator('section.map').isVisible(), false);
  assert.equal(tileRequests.length, before, 'no tiles are fetched');
  await ctx.close();
});

journey('the map asks only this site and the configured tile server, within the security policy', async () => {
  assert.deepEqual(cspErrors, []);
  assert.ok(tileRequests.length > 0);
  assert.deepEqual(elsewhere(requests.flat(), [ORIGIN, TILE_ORIGIN]), []);
});

await run(() => browser.close());
