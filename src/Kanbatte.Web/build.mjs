// Bundles the client into dist/ (esbuild), next to index.html and the stylesheet, and prints what a browser downloads,
// gzipped: the budget is 150 KB. Run by `npm run build` after the API types are generated and the code type-checks.
import { build } from "esbuild";
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

const out = "dist";
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: ["src/main.tsx"],
  bundle: true,
  format: "esm",
  splitting: true, // sign-in with Entra ID (MSAL) is a chunk of its own, fetched only where it is configured
  minify: true,
  sourcemap: false,
  target: ["es2022"],
  outdir: out,
  entryNames: "app",
  chunkNames: "chunks/[name]-[hash]",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
});
// Chunks app.js imports up front are announced in index.html, so the browser fetches them with app.js, not after it.
const preload = Object.entries(result.metafile.outputs)
  .find(([file]) => file === `${out}/app.js`)[1]
  .imports.filter((i) => i.kind === "import-statement")
  .map((i) => `  <link rel="modulepreload" href="/${i.path.slice(out.length + 1)}">\n`)
  .join("");
await writeFile(`${out}/index.html`, (await readFile("index.html", "utf8")).replace("</head>", `${preload}</head>`));
await copyFile("app.css", `${out}/app.css`);

const files = [];
async function walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) await walk(path);
    else files.push(path);
  }
}
await walk(out);
let total = 0;
for (const file of files.sort()) {
  const gz = gzipSync(await readFile(file)).length;
  total += gz;
  console.log(`${file.padEnd(40)} ${String((await stat(file)).size).padStart(8)} B, ${String(gz).padStart(7)} B gzipped`);
}
console.log(`everything: ${(total / 1024).toFixed(1)} KB gzipped (budget 150 KB)`);
if (total > 150 * 1024) {
  console.error("The client is over its 150 KB gzipped budget.");
  process.exit(1);
}
