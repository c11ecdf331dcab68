// Parses and renders a Mermaid file with Mermaid itself, in headless Chromium, offline.
// Prints JSON: the drawn state nodes (by name), the composites, the SVG's size and its text.
// Usage: node render-mermaid.mjs diagram.mmd [picture.png]   (CHROMIUM overrides /usr/bin/chromium)
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const source = await readFile(process.argv[2], 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', r => requests.push(r.url()));
  await page.route('**/*', route => route.abort());
  await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  const result = await page.evaluate(async text => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    await mermaid.parse(text);
    const { svg } = await mermaid.render('workflow', text);
    const out = document.getElementById('out');
    out.innerHTML = svg;
    const root = out.querySelector('svg');
    const box = root.getBBox();
    const name = id => (id.match(/^state-(.+)-\d+$/) || [null, id])[1];
    return {
      states: [...root.querySelectorAll('g.node')].map(g => name(g.id)),
      clusters: [...root.querySelectorAll('g.cluster, g.statediagram-cluster')].map(g => name(g.id)).filter((v, i, a) => a.indexOf(v) === i),
      width: box.width,
      height: box.height,
      text: root.textContent,
    };
  }, source);
  result.requests = requests;
  // A picture for a person to look at: node render-mermaid.mjs diagram.mmd picture.png
  if (process.argv[3]) await page.locator('#out svg').screenshot({ path: process.argv[3] });
  process.stdout.write(JSON.stringify(result));
} finally {
  await browser.close();
}
