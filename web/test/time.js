// The page's WebAssembly module timed in Node (the V8 engine Chromium runs it in, and a real
// clock, unlike headless Chromium's virtual one): the module is taken out of the built page,
// given a draw folder as the page gives a dropped office folder, and each step timed.
//
//     node web/test/time.js PAGE FOLDER [RUNS]
//
// PAGE is web/dist/verify.html; FOLDER a draw folder (its files named `<draw>/<file>`, the
// files beside it by name, as web/test/drive.py names them). Prints the time of decoding and
// compiling the module and of each run of `verify` (RUNS, default 3) with its verdict.
"use strict";
const fs = require("fs"), path = require("path"), vm = require("vm"), zlib = require("zlib");
const { performance } = require("perf_hooks");

async function main() {
  const [pagePath, folder, runsArg] = process.argv.slice(2);
  const html = fs.readFileSync(pagePath, "utf8");
  // The first inline script is wasm-bindgen's glue; WASM holds the gzipped module in base64.
  const glue = html.match(/<script>\n([\s\S]*?)\n<\/script>/)[1];
  const b64 = html.match(/const WASM = "([^"]*)"/)[1];
  vm.runInThisContext(glue + "\nglobalThis.wasm_bindgen = wasm_bindgen;");
  let t = performance.now();
  const gz = Buffer.from(b64, "base64");
  const bin = zlib.gunzipSync(gz);
  const tDecode = performance.now() - t;
  t = performance.now();
  await globalThis.wasm_bindgen({ module_or_path: bin });
  const tStart = performance.now() - t;
  console.log(`module: ${bin.length} bytes; decoded in ${tDecode.toFixed(0)} ms, compiled and started in ${tStart.toFixed(0)} ms`);
  const draw = path.resolve(folder), office = path.dirname(draw), id = path.basename(draw);
  const files = [];
  for (const [prefix, dir] of [["", office], [id + "/", draw]]) {
    for (const n of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (fs.statSync(p).isFile()) files.push([prefix + n, new Uint8Array(fs.readFileSync(p))]);
    }
  }
  const total = files.reduce((s, f) => s + f[1].length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const f of files) { all.set(f[1], at); at += f[1].length; }
  const now = 1790000000;
  for (let run = 1; run <= Number(runsArg || 3); run++) {
    t = performance.now();
    const json = globalThis.wasm_bindgen.verify(files.map(f => f[0]),
      Uint32Array.from(files.map(f => f[1].length)), all, true, now);
    const took = performance.now() - t;
    const v = JSON.parse(json);
    console.log(`run ${run}: ${files.length} files, ${total} bytes, ${v.result} (${v.depth}): ${(took / 1000).toFixed(3)} s`);
  }
}
main().catch(e => { console.error(e); process.exit(1); });
