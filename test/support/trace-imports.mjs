// Preloaded with `node --import` in tests: records every module the process resolves, through
// `import` (a resolve hook) and through `require` (Module._resolveFilename), into the file named by
// TRACE_IMPORTS_FILE, so a test can prove which libraries a command loaded.
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
}
