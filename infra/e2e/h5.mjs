// h5.mjs drives the mobile web page (H5) in headless Chromium, as a phone on
// a slow network would use it:
//
//	node infra/e2e/h5.mjs <baseURL>
//
// It loads the page under emulated 3G-like conditions and measures the time
// to interactive, checks the client's and the server's validation messages,
// files a complaint through a dropped connection and a retry (the
// Idempotency-Key must make it one case), looks the case up, and files an
// anonymous report. It prints "ok"/"FAIL" lines, then one line
// "RESULT {json}", and exits 1 if any check failed.
//
// Environment:
//
//	INTAKE_E2E_CACHE        where infra/e2e/install.sh put playwright-core
//	                        (default <repo>/.cache/e2e)
//	INTAKE_CHROMIUM         the browser (default /usr/bin/chromium)
//	INTAKE_E2E_SCREENSHOTS  directory for the screenshots (default: a temp dir)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const base = (process.argv[2] || '').replace(/\/+$/, '');
if (!/^https?:\/\//.test(base)) {
  console.error('usage: node infra/e2e/h5.mjs <baseURL>');
  process.exit(2);
}
const cache = process.env.INTAKE_E2E_CACHE || path.resolve(here, '../../.cache/e2e');
const executablePath = process.env.INTAKE_CHROMIUM || '/usr/bin/chromium';
const shots = process.env.INTAKE_E2E_SCREENSHOTS || fs.mkdtempSync(path.join(os.tmpdir(), 'h5-'));
fs.mkdirSync(shots, { recursive: true });

// ESM imports ignore NODE_PATH: resolve playwright-core from the cache.
let chromium;
try {
  ({ chromium } = createRequire(path.join(cache, 'package.json'))('playwright-core'));
} catch (e) {
  console.error(`playwright-core not found in ${cache}: run infra/e2e/install.sh (${e.message})`);
  process.exit(3);
}

// Slow network: 400 kbit/s both ways, 400 ms round trip; a slow phone CPU.
const SLOW = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
const CPU_SLOWDOWN = 4;
const TTI_BUDGET_MS = 10_000;

let page; // the page of the complaint flow, on the slow network
let failures = 0;
const result = { base, screenshots: shots, cases: [] };
function check(ok, what, detail) {
  if (ok) console.log('ok   ' + what);
  else {
    failures++;
    console.log('FAIL ' + what + (detail === undefined ? '' : ': ' + JSON.stringify(detail)));
  }
  return ok;
}
const byId = (page, id) => page.locator(`[id="${id}"]`);
const text = async (page, id) => ((await byId(page, id).textContent()) || '').trim();
const shot = async (page, name) => {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log('screenshot ' + file);
};

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext({
  viewport: { width: 375, height: 667 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
});
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });

try {
  await loadSlow();
  await fileComplaint();
  await anonymousReport();
} catch (e) {
  check(false, 'no exception', String(e && e.stack || e));
} finally {
  await browser.close();
}
console.log('RESULT ' + JSON.stringify(result));
process.exit(failures ? 1 : 0);

// ---------------------------------------------------------------------------

async function loadSlow() {
  page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const responses = [];
  page.on('response', (r) => responses.push(r));

  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

  const t0 = Date.now();
  const nav = await page.goto(base + '/', { waitUntil: 'commit' });
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 60_000 });
  result.tti_ms = Date.now() - t0;
  await page.waitForFunction(() => document.documentElement.dataset.regions === '8', null, { timeout: 60_000 });
  result.regions_ms = Date.now() - t0;
  await page.waitForLoadState('load');
  const timing = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return {
      ttfb_ms: Math.round(n.responseStart),
      dom_content_loaded_ms: Math.round(n.domContentLoadedEventEnd),
      load_ms: Math.round(n.loadEventEnd),
      transferred_bytes: n.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
      decoded_bytes: n.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0),
      requests: 1 + res.length,
    };
  });
  Object.assign(result, timing);
  console.log(`load on ${SLOW.downloadThroughput * 8 / 1000} kbit/s, ${SLOW.latency} ms, CPU /${CPU_SLOWDOWN}: ` +
    `interactive ${result.tti_ms} ms, regions ${result.regions_ms} ms, ` +
    `DOMContentLoaded ${timing.dom_content_loaded_ms} ms, load ${timing.load_ms} ms, ` +
    `${timing.transferred_bytes} bytes over the wire (${timing.decoded_bytes} decoded) in ${timing.requests} requests`);
  check(result.tti_ms < TTI_BUDGET_MS, `interactive within ${TTI_BUDGET_MS} ms on the slow network`, result.tti_ms);

  const h = nav.headers();
  check(/default-src 'none'/.test(h['content-security-policy'] || '') && /script-src 'self'/.test(h['content-security-policy']),
    'page has a CSP allowing only self', h['content-security-policy']);
  check(h['x-content-type-options'] === 'nosniff' && h['referrer-policy'] === 'no-referrer', 'nosniff and no-referrer', h);
  for (const r of responses) {
    const u = new URL(r.url());
    check(u.origin === new URL(base).origin, 'no external request: ' + u.pathname, r.url());
    if (/\/assets\/|\/v1\/regions|\/$/.test(u.pathname)) {
      check(r.headers()['content-encoding'] === 'gzip', 'sent gzipped: ' + u.pathname, r.headers());
    }
    if (/\/assets\/app\.[0-9a-f]{10}\./.test(u.pathname)) {
      check(/immutable/.test(r.headers()['cache-control'] || ''), 'hashed asset cached long: ' + u.pathname, r.headers()['cache-control']);
    }
  }
  check(errors.length === 0, 'no console errors or CSP violations', errors);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 375, 'no horizontal scrolling at 375 px', width);
  await shot(page, '1-form.png');
  // The rest of the flow stays on the slow network, with a normal CPU.
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
}

async function fillComplaint() {
  await page.fill('[id="consumer.name"]', '张三');
  await page.fill('[id="consumer.phone"]', '138 0013 8000');
  await page.fill('[id="consumer.address"]', '西宁市城东区八一路1号');
  await page.fill('[id="business.name"]', '西宁某某超市');
  await page.selectOption('#prefecture', '630100');
  await page.selectOption('[id="business.region_code"]', '630102');
  await page.fill('[id="business.address"]', '西宁市城东区东关大街2号');
  await page.fill('#facts', '在超市购买的牛奶已过保质期，饮用后腹泻。');
  await page.fill('#request', '退款并赔偿');
  await page.fill('#amount_yuan', '35.50');
}

async function fileComplaint() {
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/complaints')) posts.push(r);
  });

  // 1. Empty form: the client's messages, next to the fields, and no request.
  await page.click('#submit');
  const empty = {
    'consumer.name-err': '投诉须填写姓名',
    'consumer.phone-err': '请填写联系电话',
    'consumer.address-err': '投诉须填写通讯地址',
    'business.name-err': '请填写经营者名称',
    'business.address-err': '请填写经营地址，或选择所在地区',
    'facts-err': '请填写具体情况',
    'request-err': '请填写您的诉求，如退款、更换、赔偿',
  };
  for (const [id, want] of Object.entries(empty)) {
    check(await text(page, id) === want, `empty form: ${id} says ${want}`, await text(page, id));
  }
  check(await byId(page, 'consumer.name').getAttribute('aria-invalid') === 'true', 'empty form: name marked invalid');
  check(await page.evaluate(() => document.activeElement.id) === 'consumer.name', 'empty form: focus on the first error');
  check(/7 处需要修改/.test(await text(page, 'form-msg')), 'empty form: summary counts 7 problems', await text(page, 'form-msg'));
  await shot(page, '2-errors.png');

  // 2. A bad phone number, caught by the client.
  await fillComplaint();
  await page.fill('[id="consumer.phone"]', '12345');
  await page.click('#submit');
  check(/电话号码格式不正确/.test(await text(page, 'consumer.phone-err')), 'bad phone: client message by the phone field', await text(page, 'consumer.phone-err'));
  check(await text(page, 'consumer.name-err') === '', 'bad phone: fixed fields no longer flagged');
  check(posts.length === 0, 'client-side errors send nothing', posts.length);

  // 3. The server's field errors, shown next to the right fields: the valid
  //    form is altered on the wire so that only the server can object.
  await page.fill('[id="consumer.phone"]', '138 0013 8000');
  await page.route('**/v1/complaints', async (route) => {
    const b = JSON.parse(route.request().postData());
    b.consumer.phone = '12345';
    b.amount_yuan = '-3';
    await route.continue({ postData: JSON.stringify(b) });
  });
  const [r422] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/complaints')),
    page.click('#submit'),
  ]);
  await page.waitForFunction(() => document.getElementById('consumer.phone-err').textContent !== '');
  await page.unroute('**/v1/complaints');
  check(r422.status() === 422, 'server answered 422', r422.status());
  check(/电话号码格式不正确/.test(await text(page, 'consumer.phone-err')), 'server error consumer.phone shown by the phone field', await text(page, 'consumer.phone-err'));
  check(/金额应为数字/.test(await text(page, 'amount_yuan-err')), 'server error amount_yuan shown by the amount field', await text(page, 'amount_yuan-err'));
  check(await text(page, 'facts-err') === '', 'fields the server accepted are not flagged');
  check(await byId(page, 'submit').isEnabled(), 'button enabled again after the answer');

  // 4. The answer to the first real attempt is lost on the way back: the
  //    case is filed, the phone sees a network error and retries.
  let first = null, disabledWhileSending = null;
  const keys = [];
  await page.route('**/v1/complaints', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    disabledWhileSending = await page.evaluate(() => {
      const b = document.getElementById('submit');
      return b.disabled && b.textContent.includes('正在提交');
    });
    const resp = await route.fetch();
    first = { status: resp.status(), body: await resp.json() };
    await route.abort('connectionreset');
  });
  await page.click('#submit');
  await page.waitForFunction(() => /重新提交/.test(document.getElementById('form-msg').textContent));
  await page.unroute('**/v1/complaints');
  check(disabledWhileSending === true, 'button disabled while sending');
  check(first && first.status === 201, 'first attempt filed on the server', first);
  check(/网络不稳定/.test(await text(page, 'form-msg')), 'network error: retry message shown', await text(page, 'form-msg'));
  check(await text(page, 'submit') === '重新提交', 'button offers to retry');
  await shot(page, '3-retry.png');

  const [retry] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/complaints') && r.request().method() === 'POST'),
    page.click('#submit'),
  ]);
  keys.push(retry.request().headers()['idempotency-key']);
  check(keys.length === 2 && keys[0] && keys[0] === keys[1], 'the retry reuses the Idempotency-Key', keys);
  check(retry.status() === 201 && retry.headers()['idempotent-replayed'] === 'true', 'the server replayed, not refiled', retry.headers());

  // 5. The confirmation.
  await byId(page, 'done').waitFor({ state: 'visible' });
  const id = await text(page, 'done-id'), code = await text(page, 'done-code');
  check(/^QH[0-9]{8}-[0-9A-Z]{10}$/.test(id), 'confirmation shows the case id', id);
  check(/^[0-9A-Z]{10}$/.test(code), 'confirmation shows the tracking code', code);
  check(first && id === first.body.id && code === first.body.tracking_code, 'same case as the lost first answer', { id, first });
  check(await byId(page, 'form').isHidden(), 'form hidden after success');
  check(/查询码只显示这一次/.test(await text(page, 'done')), 'note to keep the code');
  await page.click('[data-copy="done-code"]');
  await page.waitForFunction(() => document.getElementById('copy-msg').textContent !== '');
  check(/已复制|长按/.test(await text(page, 'copy-msg')), 'copy button answers', await text(page, 'copy-msg'));
  result.cases.push(id);
  result.complaint_posts = posts.length;
  await shot(page, '4-done.png');

  // 6. Look it up, and wait for the router to assign the unit.
  await page.click('#done-lookup');
  await byId(page, 'status').waitFor({ state: 'visible' });
  check(await byId(page, 'lookup').isVisible() && await byId(page, 'file').isHidden(), 'lookup view shown');
  check(await text(page, 's-id') === id, 'lookup shows the id');
  check((await text(page, 's-status')).length > 0, 'lookup shows status_text', await text(page, 's-status'));
  const until = Date.now() + 30_000;
  while ((await text(page, 's-unit')) === '尚未分派' && Date.now() < until) {
    await page.waitForTimeout(500);
    await page.click('#lsubmit');
    await byId(page, 'status').waitFor({ state: 'visible' });
  }
  result.status_text = await text(page, 's-status');
  result.unit = await text(page, 's-unit');
  result.due = await text(page, 's-due');
  check(result.unit === '西宁市城东区市场监督管理局', 'lookup shows the unit', result.unit);
  check(/^\d{4}-\d{2}-\d{2}/.test(result.due), 'lookup shows the due date', result.due);
  check(result.status_text === '已分派至承办单位，等待受理决定', 'lookup shows the routed status', result.status_text);
  await shot(page, '5-status.png');

  // 7. A wrong code finds nothing, and says so.
  await page.fill('#l-code', 'ABCDEFGHJK');
  await page.click('#lsubmit');
  await page.waitForFunction(() => !document.getElementById('lform-msg').hidden);
  check(/没有找到相符的记录/.test(await text(page, 'lform-msg')), 'wrong code: not found message', await text(page, 'lform-msg'));
  check(await byId(page, 'status').isHidden(), 'wrong code: no status shown');
}

async function anonymousReport() {
  const p = await context.newPage();
  await p.goto(base + '/');
  await p.waitForFunction(() => document.documentElement.dataset.ready === '1');
  check(await byId(p, 'anonymous').isHidden(), 'complaint: no anonymous option');
  await p.click('label:has(input[name=kind][value=inquiry])');
  check(await p.locator('#request').isHidden() && /咨询的问题/.test(await p.locator('label[for=facts]').innerText()), 'inquiry: facts become the question, no request');
  await p.click('label:has(input[name=kind][value=report])');
  check(await byId(p, 'anonymous').isVisible(), 'report: anonymous option shown');
  await p.check('#anonymous');
  check(await byId(p, 'consumer.name').isHidden(), 'anonymous: name field hidden');
  await p.fill('[id="business.name"]', '海东某某药店');
  await p.selectOption('#prefecture', '630200');
  await p.selectOption('[id="business.region_code"]', '630202');
  await p.fill('#facts', '该药店销售过期药品，并且没有执业药师在岗。');
  const [resp] = await Promise.all([
    p.waitForResponse((r) => r.url().endsWith('/v1/complaints')),
    p.click('#submit'),
  ]);
  const sent = JSON.parse(resp.request().postData());
  check(resp.status() === 201, 'anonymous report filed', resp.status());
  check(sent.anonymous === true && sent.kind === 'report' && !sent.consumer.name, 'anonymous report carries no name', sent);
  check(resp.request().headers()['idempotency-key'], 'report sent with an Idempotency-Key');
  await byId(p, 'done').waitFor({ state: 'visible' });
  result.cases.push(await text(p, 'done-id'));
  await p.close();
}
