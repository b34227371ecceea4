// Reports what a route of the built web app makes the browser download as JavaScript, gzipped (docs/decisions/040):
// the entry chunk and everything it imports statically, plus the route's page chunk and its static imports — the
// chunks a first visit to that route loads before it can draw. Reads vite's manifest (build.manifest).
// The inbox is the "/" route, whose lazily loaded page is HomePage (it shows InboxPage, or sends a leader to his 驾驶舱):
// InboxPage is no chunk of its own, so HomePage is what a first visit to the inbox loads.
//   node scripts/route-size.mjs [src/features/dashboard/HomePage.tsx] [--max 250]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const maxAt = args.indexOf('--max');
const maxKb = maxAt >= 0 ? Number(args[maxAt + 1]) : undefined;
const page =
  args.find((a, i) => !a.startsWith('--') && (maxAt < 0 || i !== maxAt + 1)) ?? 'src/features/dashboard/HomePage.tsx';
const root = fileURLToPath(new URL('../../src/Duban.Server/wwwroot', import.meta.url));
const manifestPath = join(root, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`no ${manifestPath}: run npm run build first`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry)?.[0];
if (!manifest[page]) {
  console.error(`${page} is not a chunk of the build (a route's page is the module routes.tsx loads lazily)`);
  process.exit(2);
}

const seen = new Set();
function collect(key) {
  if (seen.has(key)) return;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) collect(imported);
}
collect(entry);
collect(page);

let total = 0;
const rows = [...seen]
  .map((key) => {
    const file = manifest[key].file;
    const size = gzipSync(readFileSync(join(root, file)), { level: 9 }).length;
    total += size;
    return { file, kb: size / 1024 };
  })
  .sort((a, b) => b.kb - a.kb);
for (const row of rows) console.log(`${row.kb.toFixed(1).padStart(8)} KB  ${row.file}`);
console.log(
  `${(total / 1024).toFixed(1).padStart(8)} KB  gzipped JavaScript for ${page} (entry + page + static imports)`,
);
if (maxKb !== undefined && total / 1024 > maxKb) {
  console.error(`over the budget of ${maxKb} KB`);
  process.exit(1);
}
