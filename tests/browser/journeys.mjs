// Signpost in a real browser, the way people use it: a young person on a phone, a keyboard
// user, someone with JavaScript off, a link worker at a council laptop, a provider editing a
// listing and a checker approving it. axe-core checks every page type on the way, the search
// results page is weighed, and screenshots of the main pages are saved at 375 and 1280 px.
//
// The server is started with no map tile server, so no page may load a script or ask any
// other site for anything.

import {
  BASE, LAPTOP, ORIGIN, PHONE, SHOTS, assert, axe, elsewhere, env, fitsWidth, focused, journey,
  launch, recordRequests, run, screenshots, tabTo,
} from './lib.mjs';
import { join } from 'node:path';

const browser = await launch();
const requests = [];
/** A fresh context (no cookies, no cache) whose requests are all recorded. */
async function context(options) {
  const ctx = await browser.newContext(options);
  requests.push(recordRequests(ctx));
  return ctx;
}

/**
 * Does `act` (a click, a key press) and waits for the new page it leads to, which must have
 * an address matching `url`.
 */
async function leads(page, act, url) {
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before), act()]);
  await page.waitForLoadState();
  assert.match(page.url(), url);
}

/** Clicks a link or button and waits for the page it leads to. */
async function follow(page, locator, url) {
  await leads(page, () => locator.click(), url);
}

/**
 * A button's accessible name: its words, then the listing it is about in text only screen
 * readers get (Chromium puts a space before that text's colon).
 */
function about(words, title) {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${words} ?: ${escaped}$`);
}

/** Ages from a result or listing ("Ages 10 to 18"), as [youngest, oldest]. */
function ages(text) {
  const m = /Ages? (\d+)(?: to (\d+))?/.exec(text);
  assert.ok(m, `no ages in "${text}"`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

journey('a young person on a phone searches with filters and opens a listing', async () => {
  const ctx = await context({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/`);
  await axe(page, 'search form');
  await fitsWidth(page);
  await page.getByLabel('What do you want to do?').fill('football');
  await page.getByLabel('Postcode or town').fill('HU5');
  await page.getByLabel('Age', { exact: true }).fill('12');
  await page.locator('details.more summary').click();
  await page.getByLabel('Day', { exact: true }).selectOption({ label: 'Sunday' });
  await follow(page, page.getByRole('button', { name: 'Search' }), /[?&]q=football/);

  const heading = await page.locator('#results-heading').innerText();
  assert.match(heading, /^\d+ activit(y|ies) within \d+(\.\d+)? km of HU5$/, heading);
  // The search folds to one line of what was asked, so the answer starts on the first screen.
  const asked = await page.locator('.search-summary').innerText();
  for (const said of ['football', 'HU5', 'age 12', 'Sunday', 'Change']) {
    assert.ok(asked.includes(said), `the folded search says "${said}": ${asked}`);
  }
  assert.ok(!(await page.getByLabel('What do you want to do?').isVisible()), 'the form is folded on a phone');
  const cards = page.locator('li.result');
  const count = await cards.count();
  assert.ok(count >= 1, 'football near HU5 on Sundays for a 12-year-old finds something');
  const firstTitle = await cards.first().locator('h3').boundingBox();
  assert.ok(firstTitle.y + firstTitle.height <= PHONE.height,
    `the first result's title is on the first screen (it ends at ${firstTitle.y + firstTitle.height} px of ${PHONE.height})`);
  for (let i = 0; i < count; i++) {
    const facts = await cards.nth(i).locator('.facts').innerText();
    const [from, to] = ages(facts);
    assert.ok(from <= 12 && 12 <= to, `a result is not for a 12-year-old: ${facts}`);
    assert.match(facts, /km away|m away/, `a result does not say how far it is: ${facts}`);
    const where = (await cards.nth(i).locator('.where').textContent()).trim();
    assert.match(where, /^Where: .+, .+/, `a result says where it is, with its town: ${where}`);
  }
  await axe(page, 'search results');
  await fitsWidth(page);
  await screenshots(page, 'search-results');
  // "Change" opens the form with the search as it was.
  await page.locator('.search-summary').click();
  assert.equal(await page.getByLabel('What do you want to do?').inputValue(), 'football');
  assert.equal(await page.getByLabel('Postcode or town').inputValue(), 'HU5');
  await axe(page, 'search results with the search open');

  const link = cards.first().locator('h3 a');
  const title = (await link.innerText()).trim();
  await follow(page, link, /\/activities\//);
  assert.equal((await page.locator('h1').innerText()).trim(), title);
  for (const h of ['Who can come', 'When', 'Where', 'Cost', 'How to join', 'Keeping children safe']) {
    assert.ok(await page.getByRole('heading', { name: h, exact: true }).isVisible(), `the listing shows "${h}"`);
  }
  const [from, to] = ages(await page.locator('article.listing').innerText());
  assert.ok(from <= 12 && 12 <= to);
  assert.ok(await page.getByRole('link', { name: /on a map \(OpenStreetMap\)/ }).first().isVisible());
  assert.ok(await page.getByRole('button', { name: /Add to shortlist/ }).isVisible());
  assert.equal(await page.locator('.map, script').count(), 0, 'no map or script without a tile server');
  await axe(page, 'listing');
  await fitsWidth(page);
  await screenshots(page, 'listing');

  const listingPath = new URL(page.url()).pathname;
  await follow(page, page.locator('p.provider a'), /\/providers\//);
  assert.ok(await page.getByRole('heading', { name: 'Activities' }).isVisible());
  assert.ok(await page.getByRole('link', { name: title }).isVisible(), 'the provider page lists the activity');
  await axe(page, 'provider page');
  await fitsWidth(page);
  await screenshots(page, 'provider');

  for (const [path, type, shot] of [
    ['/guide', 'guide', 'guide'], ['/login', 'sign in', 'login'],
    [`${listingPath}/suggest`, 'suggest an edit', null], ['/no-such-page', 'not found', null],
  ]) {
    await page.goto(`${BASE}${path}`);
    await axe(page, type);
    await fitsWidth(page);
    if (shot) await screenshots(page, shot);
  }
  await ctx.close();
});

journey('words become filters, and with nothing nearby the nearest further away are shown', async () => {
  const ctx = await context({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/`);
  await page.getByLabel('What do you want to do?').fill('free football on saturday near hu5');
  await follow(page, page.getByRole('button', { name: 'Search' }), /[?&]free=true/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('day'), 'saturday');
  assert.equal(url.searchParams.get('near'), 'HU5');
  const asked = await page.locator('.search-summary').innerText();
  for (const said of ['football', 'HU5', 'Saturday', 'Free only']) {
    assert.ok(asked.includes(said), `the words became the filter "${said}": ${asked}`);
  }

  // "In the holidays" is a filter too, and the page says which days it means.
  await page.goto(`${BASE}/`);
  await page.getByLabel('What do you want to do?').fill('something to do in the holidays near hu5');
  await follow(page, page.getByRole('button', { name: 'Search' }), /[?&]when=holidays/);
  assert.ok((await page.locator('.search-summary').innerText()).includes('School holidays'));
  assert.match(await page.locator('nav[aria-label="Your filters"]').innerText(),
    /School holidays, \d+ \w{3} to \d+ \w{3}/, 'the filter says which days it means');
  const firstHoliday = await page.locator('li.result h3').first().boundingBox();
  assert.ok(firstHoliday.y + firstHoliday.height <= PHONE.height, `a holiday result on the first screen (${firstHoliday.y} px)`);
  await screenshots(page, 'search-holidays');

  // A card says why it is there when its title does not: the kickboxing is "Martial Arts".
  await page.goto(`${BASE}/?q=kickboxing&near=HU8`);
  const martial = page.locator('li.result', { hasText: 'Junior Martial Arts' });
  assert.match(await martial.locator('.why').innerText(), /^Matches martial, for “kickboxing”/);
  assert.equal(await page.locator('li.result', { hasText: 'Teen Kickboxing' }).locator('.why').count(), 0,
    'no reason given where the title says it');
  await screenshots(page, 'search-why');

  // The surf clubs are in Newquay, about 28 km from Falmouth.
  await page.goto(`${BASE}/?q=surf&near=TR11`);
  assert.match(await page.locator('#results-heading').innerText(), /^0 activities within 5 km/);
  const nearest = page.locator('section.nearest li.result');
  assert.equal(await nearest.count(), 3, 'the three nearest further away are on the page');
  for (let i = 0; i < 3; i++) {
    const card = await nearest.nth(i).innerText();
    assert.match(card, /\d+(\.\d)? km away/, `a nearest match says how far: ${card}`);
    assert.match(card, /Newquay/, `a nearest match says where: ${card}`);
  }
  const first = await nearest.first().locator('h3').boundingBox();
  assert.ok(first.y + first.height <= PHONE.height, `the nearest match is on the first screen (${first.y} px)`);
  await axe(page, 'nothing nearby');
  await fitsWidth(page);
  await screenshots(page, 'search-nearest');
  await ctx.close();
});

journey('a keyboard user searches and reaches a listing with focus always visible', async () => {
  const ctx = await context({ viewport: LAPTOP });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/`);
  const skip = await tabTo(page, (f) => f.text === 'Skip to main content', 'the skip link', 1);
  assert.equal(skip.href, '#main');
  await page.keyboard.press('Enter');
  // The skip link moves on past the header: the next Tab is inside the main content.
  await tabTo(page, () => true, 'the first thing in the main content', 1);
  assert.ok(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)),
    'Tab after the skip link lands in the main content');
  await tabTo(page, (f) => f.id === 'q', 'the search box');
  await page.keyboard.type('club');
  await tabTo(page, (f) => f.id === 'near', 'the postcode box');
  await page.keyboard.type('HU5');
  await leads(page, () => page.keyboard.press('Enter'), /[?&]near=HU5/);
  assert.ok(await page.locator('li.result').count() > 0, 'the keyboard search found results');
  const first = await tabTo(page, (f) => f.tag === 'a' && f.href.startsWith('/activities/'), 'the first result');
  await leads(page, () => page.keyboard.press('Enter'), /\/activities\//);
  assert.equal((await page.locator('h1').innerText()).trim(), first.text, 'Enter on a result opens that listing');
  // And on the listing, the shortlist button is reachable and visibly focused.
  await tabTo(page, (f) => f.tag === 'button' && f.text.startsWith('Add to shortlist'), 'Add to shortlist');
  await ctx.close();
});

journey('with JavaScript off, search, listings and the shortlist still work', async () => {
  const ctx = await context({ viewport: PHONE, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/`);
  await page.getByLabel('What do you want to do?').fill('drama');
  await page.getByLabel('Postcode or town').fill('Hull');
  await follow(page, page.getByRole('button', { name: 'Search' }), /[?&]q=drama/);
  const cards = page.locator('li.result');
  assert.ok(await cards.count() > 0, 'drama in Hull finds something with JavaScript off');
  const title = (await cards.first().locator('h3 a').innerText()).trim();
  await follow(page, cards.first().getByRole('button', { name: /Add to shortlist/ }), /[?&]list=/);
  assert.match(await page.locator('.shortlist-bar').innerText(), /Your shortlist has 1 activity/);
  await follow(page, page.getByRole('link', { name: 'See it and print a handout' }), /\/shortlist\?/);
  assert.ok(await page.getByRole('link', { name: title }).isVisible());
  await ctx.close();
});

journey('the search results page is at most 50 KB over the wire and needs no script', async () => {
  const ctx = await context({ viewport: PHONE });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const bytes = new Map();
  const types = new Map();
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, [e.type, e.response.url, e.response.headers['content-encoding'] || e.response.headers['Content-Encoding']]));
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  // A broad search: a full first page of results (the default page size).
  await page.goto(`${BASE}/?near=Hull`, { waitUntil: 'networkidle' });
  assert.equal(await page.locator('li.result').count(), 20, 'a full page of 20 results');
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  const lines = [...bytes.entries()].map(([id, n]) => `${types.get(id)?.[0]} ${types.get(id)?.[1]} ${n} bytes (${types.get(id)?.[2] || 'not compressed'})`);
  console.log(`      page weight of ${BASE}/?near=Hull: ${total} bytes (${(total / 1024).toFixed(1)} KB) over the wire\n        ${lines.join('\n        ')}`);
  const doc = [...types.values()].find(([type]) => type === 'Document');
  assert.equal(doc?.[2], 'gzip', 'the page comes gzip-compressed');
  assert.ok(total <= 50 * 1024, `the results page weighs ${total} bytes, over 50 KB`);
  assert.equal([...types.values()].filter(([type]) => type === 'Script').length, 0, 'no script is loaded');
  assert.equal(await page.locator('script').count(), 0, 'the page has no script element');
  // The stylesheet has a fingerprinted name and may be kept for a year.
  const css = await page.locator('link[rel=stylesheet]').getAttribute('href');
  assert.match(css, /^\/static\/style\.[0-9a-f]{12}\.css$/);
  const r = await page.request.get(`${BASE}${css}`);
  assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable');
  await ctx.close();
});

journey("a link worker shortlists two activities and prints the handout", async () => {
  const ctx = await context({ viewport: LAPTOP });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/?q=youth+club&near=HU5`);
  const cards = page.locator('li.result');
  assert.ok(await cards.count() >= 2, 'at least two youth clubs near HU5');
  // On a wide screen the filters stand open beside the results, not above them.
  const what = page.getByLabel('What do you want to do?');
  assert.ok(await what.isVisible(), 'the search form is open beside the results');
  const [formBox, cardBox] = [await what.boundingBox(), await cards.first().boundingBox()];
  assert.ok(formBox.x + formBox.width <= cardBox.x, `the filters are to the left of the results (${formBox.x}+${formBox.width} vs ${cardBox.x})`);
  const title = await cards.first().locator('h3').boundingBox();
  assert.ok(title.y + title.height <= LAPTOP.height, `the first result's title is on the first screen (${title.y} px)`);
  const titles = [];
  for (const i of [0, 1]) {
    titles.push((await cards.nth(i).locator('h3 a').innerText()).trim());
    await follow(page, cards.nth(i).getByRole('button', { name: about('Add to shortlist', titles[i]) }), /[?&]list=/);
    assert.match(await page.locator('.shortlist-bar').innerText(), new RegExp(`Your shortlist has ${i + 1} activit`));
    assert.ok(await cards.nth(i).getByRole('button', { name: about('Remove from shortlist', titles[i]) }).isVisible(),
      'an added activity offers to remove it instead');
  }
  await follow(page, page.getByRole('link', { name: 'See it and print a handout' }), /\/shortlist\?/);
  assert.equal(await page.locator('h1').innerText(), 'Your shortlist');
  assert.deepEqual(await page.locator('ol.shortlist h2').allInnerTexts(), titles);
  await axe(page, 'shortlist');
  await screenshots(page, 'shortlist');

  await follow(page, page.getByRole('link', { name: 'Print a handout' }), /\/shortlist\/handout/);
  assert.deepEqual(await page.locator('.handout-item h2').allInnerTexts(), titles);
  const qr = page.getByRole('img', { name: 'QR code that opens this shortlist on a phone' });
  assert.ok(await qr.isVisible(), 'the handout has its QR code');
  const box = await qr.boundingBox();
  assert.ok(box.width >= 100 && box.height >= 100, `the QR code is big enough to scan: ${box.width}x${box.height}`);
  const short = (await page.locator('.short').innerText()).trim();
  assert.match(short, /\/s\/[0-9A-Z]{8}-[0-9A-Z]{8}$/, `a short link of two references: ${short}`);
  await axe(page, 'handout');
  await screenshots(page, 'handout');

  await page.emulateMedia({ media: 'print' });
  assert.ok(!(await page.locator('header.site').isVisible()), 'the site header is not printed');
  assert.ok(!(await page.locator('.no-print').isVisible()), 'the "use your browser\'s Print command" line is not printed');
  assert.ok(await qr.isVisible(), 'the QR code is printed');
  await page.screenshot({ path: join(SHOTS, 'handout-print-1280.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4', path: join(SHOTS, 'handout.pdf') });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 2, `a two-activity handout prints on one or two A4 pages, not ${pages}`);
  await page.emulateMedia({ media: 'screen' });

  // The short link, typed on a phone, opens the same list.
  const phone = await context({ viewport: PHONE });
  const p2 = await phone.newPage();
  await p2.goto(short.startsWith('http') ? short : `${BASE}${short}`);
  assert.deepEqual(await p2.locator('ol.shortlist h2').allInnerTexts(), titles);
  await fitsWidth(p2);
  await phone.close();
  await ctx.close();
});

/** Chooses a password from a one-time link, then signs in. */
async function signIn(page, link, email) {
  await page.goto(link);
  assert.match(await page.locator('h1').innerText(), /choose a password/);
  await axe(page, 'choose a password');
  const password = 'plum tractor winter';
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('The same password again').fill(password);
  await follow(page, page.getByRole('button', { name: 'Save password' }), /\/login/);
  assert.match(await page.locator('.notice').innerText(), /Your password is set/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await follow(page, page.getByRole('button', { name: 'Sign in' }), /\/(provider|check|admin)$/);
}

const listing = env('SIGNPOST_EDIT_LISTING');
const NEW_TITLE_END = ' (Sunday mornings)';
let newTitle;

journey('a provider signs in from their invite and edits a listing', async () => {
  const ctx = await context({ viewport: LAPTOP });
  const page = await ctx.newPage();
  await signIn(page, env('SIGNPOST_PROVIDER_LINK'), env('SIGNPOST_PROVIDER_EMAIL'));
  assert.equal(new URL(page.url()).pathname, '/provider');
  assert.match(await page.locator('nav.account').innerText(), /Signed in as/);
  await axe(page, 'provider dashboard');
  await follow(page, page.locator(`a[href="/provider/listings/${listing}/edit"]`), /\/edit$/);
  assert.equal(await page.locator('h1').innerText(), 'Edit listing');
  const title = page.getByLabel('Title', { exact: true });
  newTitle = (await title.inputValue()) + NEW_TITLE_END;
  await title.fill(newTitle);
  await axe(page, 'provider edit form');
  await screenshots(page, 'provider-edit');
  await follow(page, page.getByRole('button', { name: 'Send' }), /\/provider\?done=/);
  assert.match(await page.locator('.notice').innerText(), /sent for review/);
  assert.match(await page.locator('ul.manage').innerText(), /Edit waiting for review/);
  for (const [path, type] of [['/provider/safeguarding', 'provider safeguarding form'], ['/provider/history', 'change history']]) {
    await page.goto(`${BASE}${path}`);
    await axe(page, type);
  }
  // Until a checker approves, the public listing is unchanged.
  await page.goto(`${BASE}/activities/${listing}`);
  assert.notEqual(await page.locator('h1').innerText(), newTitle);
  await ctx.close();
});

journey('a checker sees the edit in the queue and approves it, and the public listing shows it', async () => {
  assert.ok(newTitle, 'the provider journey made an edit');
  const ctx = await context({ viewport: LAPTOP });
  const page = await ctx.newPage();
  await signIn(page, env('SIGNPOST_CHECKER_LINK'), env('SIGNPOST_CHECKER_EMAIL'));
  assert.equal(new URL(page.url()).pathname, '/check');
  assert.match(await page.getByRole('heading', { name: /Listings waiting for review/ }).innerText(), /\(1\)/);
  await axe(page, 'checker queue');
  await screenshots(page, 'checker-queue');
  await follow(page, page.getByRole('link', { name: /^Change \d+ from / }), /\/check\/changes\//);
  assert.match(await page.locator('h1').innerText(), /^Edited listing: /);
  const row = page.locator('table.diff tr', { has: page.locator('th', { hasText: /^Title$/ }) });
  assert.equal((await row.locator('td.after').innerText()).trim(), newTitle, 'the diff shows the new title');
  await axe(page, 'checker review');
  await screenshots(page, 'checker-review');
  await follow(page, page.getByRole('button', { name: 'Approve and publish' }), /\/check\?done=approved/);
  assert.match(await page.locator('.notice').innerText(), /Approved: the listing is public now/);

  const visitor = await context({ viewport: PHONE });
  const p2 = await visitor.newPage();
  await p2.goto(`${BASE}/activities/${listing}`);
  assert.equal(await p2.locator('h1').innerText(), newTitle, 'the public listing shows the approved edit');
  await visitor.close();
  await ctx.close();
});

journey('an administrator sees the accounts, including the two just used', async () => {
  const ctx = await context({ viewport: LAPTOP });
  const page = await ctx.newPage();
  await signIn(page, env('SIGNPOST_ADMIN_LINK'), env('SIGNPOST_ADMIN_EMAIL'));
  assert.equal(new URL(page.url()).pathname, '/admin');
  const accounts = await page.locator('main').innerText();
  for (const email of [env('SIGNPOST_PROVIDER_EMAIL'), env('SIGNPOST_CHECKER_EMAIL')]) {
    assert.ok(accounts.includes(email), `the accounts page lists ${email}`);
  }
  await axe(page, 'admin accounts');
  await ctx.close();
});

journey('no page asked any other site for anything', async () => {
  const all = requests.flat();
  assert.ok(all.length > 20, `requests were recorded (${all.length})`);
  assert.deepEqual(elsewhere(all, [ORIGIN]), []);
});

await run(() => browser.close());
