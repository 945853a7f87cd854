// npm run build: bundle index.js into one minified IIFE with the global `echarts`, and copy the licences.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";

const out = new URL("../../static/vendor/echarts-6.1.0-custom/", import.meta.url);
const version = JSON.parse(readFileSync(new URL("node_modules/echarts/package.json", import.meta.url))).version;
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [new URL("index.js", import.meta.url).pathname],
  outfile: new URL("echarts.custom.min.js", out).pathname,
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "echarts",
  target: "es2017",
  platform: "browser",
  define: { "process.env.NODE_ENV": '"production"' },
  sourcemap: false, // no sourceMappingURL comment: the manifest storage would look for the map
  legalComments: "eof",
  banner: {
    js: `/*! Apache ECharts ${version}, custom build for chuangwei (bar, line, pie; grid, tooltip, markLine; canvas). `
      + "Apache-2.0, see LICENSE and NOTICE; includes ZRender (BSD-3-Clause, LICENSE-zrender), "
      + "d3-derived code (BSD-3-Clause, LICENSE-d3) and tslib (0BSD). Recipe: vendor-build/echarts/ */",
  },
  logLevel: "info",
});

const copies = {
  "node_modules/echarts/LICENSE": "LICENSE",
  "node_modules/echarts/NOTICE": "NOTICE",
  "node_modules/echarts/licenses/LICENSE-d3": "LICENSE-d3",
  "node_modules/zrender/LICENSE": "LICENSE-zrender",
};
for (const [from, to] of Object.entries(copies)) copyFileSync(new URL(from, import.meta.url), new URL(to, out));
