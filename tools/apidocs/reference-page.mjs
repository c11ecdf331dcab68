// Opens the service's API reference page (Scalar) in Debian's headless Chromium, with every request that
// leaves 127.0.0.1 blocked and recorded, then acts as a reader would: opens every group, opens "Test Request"
// for filing a case, enters the bearer token and sends the body the page offers.
// Prints JSON: off-machine requests, the operations listed, the buttons and links shown, the "try it" body
// and the status the service answered it with.
// Usage: node reference-page.mjs http://127.0.0.1:PORT/scalar/v1 TOKEN [picture.png]   (CHROMIUM overrides /usr/bin/chromium)
import { chromium } from 'playwright-core';

const [url, token, picture] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const offMachine = [];
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.route('**/*', route => {
    const target = new URL(route.request().url());
    if (target.hostname === '127.0.0.1') return route.continue();
    offMachine.push(route.request().url());
    return route.abort();
  });
  await page.goto(url);
  await page.waitForFunction(() => [...document.querySelectorAll('button, a')].some(b => b.textContent.includes('HTTP Method:')), null, { timeout: 30000 });

  // Every tag group open, so the sidebar lists every operation.
  for (let round = 0; round < 40; round++) {
    const opened = await page.evaluate(() => {
      const closed = [...document.querySelectorAll('button, a')].find(b => /^Open Group/.test((b.getAttribute('aria-label') ?? '') || b.textContent.trim()) || b.textContent.trim().startsWith('Open Group'));
      if (!closed) return false;
      closed.click();
      return true;
    });
    if (!opened) break;
    await page.waitForTimeout(150);
  }
  const listed = await page.evaluate(() => [...document.querySelectorAll('button, a')]
    .map(b => b.textContent.trim().replace(/\s+/g, ' '))
    .filter(t => /HTTP Method: [A-Z]+$/.test(t))
    .map(t => { const m = t.match(/^(.*)HTTP Method: ([A-Z]+)$/); return { summary: m[1].trim(), method: m[2] }; }));
  const controls = await page.evaluate(() => [...new Set([...document.querySelectorAll('button, a, [role=button]')]
    .map(b => [b.textContent, b.getAttribute('aria-label'), b.getAttribute('title')].filter(Boolean).join(' ').trim().replace(/\s+/g, ' '))
    .filter(t => t))]);

  // "Test Request" for POST /api/v1/cases: the body offered, then sent with the token.
  await page.evaluate(() => [...document.querySelectorAll('button')].find(b => b.textContent.includes('Test Request') && b.textContent.includes('(post /api/v1/cases)')).click());
  await page.waitForFunction(() => [...document.querySelectorAll('.cm-content')].some(e => e.innerText.includes('requestingState')), null, { timeout: 30000 });
  const body = await page.evaluate(() => [...document.querySelectorAll('.cm-content')].find(e => e.innerText.includes('requestingState')).innerText);
  const tokenField = page.getByPlaceholder('Token');
  for (let i = 0; i < await tokenField.count(); i++) {
    if (await tokenField.nth(i).isVisible()) { await tokenField.nth(i).fill(token); break; }
  }
  await page.evaluate(() => [...document.querySelectorAll('button')].find(b => b.textContent.includes('Send post request to /api/v1/cases') && b.offsetParent).click());
  // The client's response pane (the reference itself lists "Status: 201 Created" among the documented responses).
  const answered = () => [...document.querySelectorAll('section[aria-label="Response"]')].map(s => s.innerText.match(/Status:\s*(\d{3})/)).find(Boolean);
  await page.waitForFunction(answered, null, { timeout: 30000 });
  const status = (await page.evaluate(answered))[1];
  if (picture) await page.screenshot({ path: picture });

  process.stdout.write(JSON.stringify({ offMachine, errors, listed, controls, body, status: Number(status) }));
} finally {
  await browser.close();
}
