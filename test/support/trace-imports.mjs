// Preloaded with `node --import` in tests: records every module the process loads into the file
// named by TRACE_IMPORTS_FILE, so a test can prove which libraries a command loaded:
// - through `import` (a resolve hook) and `require` (Module._resolveFilename): the few real files
//   (bin, the boot module, the bundle, Inquirer from node_modules);
// - inside the bundle (dist/dataklausul.cjs), where Node's loader sees nothing: each module that is
//   run for the first time, by its source path (`src/render/pdf/index.ts`,
//   `node_modules/marked/lib/marked.esm.js`), reported by the hook scripts/bundle.mjs puts in the
//   bundle's module helpers. Modules the bundle's entry imports statically run at start-up in any
//   case and are not reported; everything loaded lazily is.
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const file = process.env.TRACE_IMPORTS_FILE;
if (file) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (spec) => appendFileSync(file, `${spec}\n`));
  port1.unref();
  register('./trace-imports-hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    const resolved = original.call(this, request, ...rest);
    appendFileSync(file, `${resolved}\n`);
    return resolved;
  };
  globalThis.__dataklausulTrace = (name) => appendFileSync(file, `bundle:${name}\n`);
}
