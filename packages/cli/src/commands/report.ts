import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError, toTypedJson } from '@spyglass-wasm/core';
import { resultView } from '@spyglass-wasm/pipelines';
import { writeAtomically } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { checkOutputFile, resolvePath } from '../lib/paths.js';
import { UsageError } from '../lib/options.js';
import { requiredOption, resolveResult, withStore, STORE_OPTIONS } from '../lib/step-command.js';
import { viewerSite } from './view.js';

/** The report renderer the viewer builds (dist/report: one classic script, one stylesheet). */
function reportBundle(): { js: string; css: string } {
  const site = viewerSite();
  const dir = site && join(site, 'report');
  if (!dir || !existsSync(join(dir, 'report.js')))
    throw new StoreError(
      'the report renderer is not built here: run `npm run build` in the repository (packages/viewer/dist/report)',
    );
  return { js: join(dir, 'report.js'), css: join(dir, 'report.css') };
}

/** Text safe inside a <script> or <style> element: no closing tag can end it early. */
const inert = (text: string) => text.replace(/<\/(script|style)/gi, '<\\/$1');

/**
 * The report page: the renderer's styles and script and the data, each inline, so the file opens
 * from disk with no server and no network. The JSON escapes `<` so no text in it ends the element.
 */
function reportHtml(o: { title: string; css: string; js: string; data: string }): string {
  const title = o.title.replace(/[<&>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${inert(o.css)}</style>
</head>
<body>
<script type="application/json" id="spyglass-report-data">${o.data.replace(/</g, '\\u003c')}</script>
<script>${inert(o.js)}</script>
</body>
</html>
`;
}

/**
 * `spyglass report RESULT --out report.html`: one self-contained HTML page of a sort, ripples,
 * decode or replay result (the viewer's plots) and its lineage graph.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Write one self-contained HTML page of a result: its plots and its lineage (opens from disk, no server)',
  args: 'RESULT',
  options: {
    ...STORE_OPTIONS,
    out: { type: 'string', short: 'o', value: 'report.html', help: 'the HTML file to write', required: true },
    force: { type: 'boolean', help: 'replace an existing --out file' },
  },
  examples: ['spyglass report 3f2a9c --out decode.html'],
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError('RESULT', 'one result id (or a unique prefix)', positionals.join(' ') || 'nothing');
    const out = resolvePath(io.cwd, requiredOption(values, 'out', 'an .html file to write the report to'));
    await checkOutputFile(out, { inputs: [], force: values.force as boolean });
    const bundle = reportBundle();
    const { readFile } = await import('node:fs/promises');
    const [js, css] = await Promise.all([readFile(bundle.js, 'utf8'), readFile(bundle.css, 'utf8').catch(() => '')]);
    const { key, step, bytes } = await withStore(io, values, async (store) => {
      const key = await resolveResult(store, positionals[0]);
      const view = await resultView(store, key);
      const data = toTypedJson({ view, generator: 'spyglass report', createdAt: new Date().toISOString() });
      const html = reportHtml({
        title: `${view.step} result ${key.replace(/^blake3:/, '').slice(0, 12)} · Spyglass-Wasm`,
        css,
        js,
        data,
      });
      const bytes = new TextEncoder().encode(html);
      await writeAtomically(out, bytes);
      return { key, step: view.step, bytes: bytes.length };
    });
    if (values.json) printJson(io, { result: key, step, out, bytes });
    else io.stdout.write(`wrote the ${step} report of ${key} to ${out} (${(bytes / 1e6).toFixed(2)} MB)\n`);
    return 0;
  },
};
