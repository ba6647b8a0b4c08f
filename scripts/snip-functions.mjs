// Replaces the body of every function whose name matches a pattern with
// `unreachable`, so that wasm-opt then drops all code only they reached.
// The same technique as rustwasm's wasm-snip, which cannot read modules
// that use reference types (wasm-bindgen's output does).
//
// Usage: node snip-functions.mjs <in.wasm> <out.wasm> <regex> [min-body-bytes]
//
// Functions are found by the names in the module's `name` section
// (wasm-bindgen writes them demangled). Bodies smaller than
// min-body-bytes are kept: the compiler may merge identical small
// functions under one name, and a merged body could also serve a caller
// that does run; large bodies are specific to their one function.
import { readFileSync, writeFileSync } from "node:fs";

const [input, output, pattern, minArg] = process.argv.slice(2);
if (!input || !output || !pattern) {
  console.error("usage: node snip-functions.mjs <in.wasm> <out.wasm> <regex> [min-body-bytes]");
  process.exit(2);
}
const wanted = new RegExp(pattern);
const minBytes = Number(minArg ?? 0);
const wasm = readFileSync(input);

function leb(buf, pos) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}

function encodeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

function string(buf, pos) {
  const [len, start] = leb(buf, pos);
  return [buf.toString("utf8", start, start + len), start + len];
}

function sections(buf) {
  const list = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    list.push({ id, start: pos, bodyStart: start, end: start + size });
    pos = start + size;
  }
  return list;
}

function importedFunctions(buf, section) {
  let [count, pos] = leb(buf, section.bodyStart);
  let functions = 0;
  for (let i = 0; i < count; i++) {
    [, pos] = string(buf, pos);
    [, pos] = string(buf, pos);
    const kind = buf[pos++];
    if (kind === 0) {
      functions++;
      [, pos] = leb(buf, pos);
    } else if (kind === 1 || kind === 2) {
      if (kind === 1) pos++; // reference type of the table
      const flags = buf[pos++];
      [, pos] = leb(buf, pos);
      if (flags & 1) [, pos] = leb(buf, pos);
    } else if (kind === 3) {
      pos += 2; // value type and mutability
    } else if (kind === 4) {
      pos++;
      [, pos] = leb(buf, pos);
    } else {
      throw new Error(`unknown import kind ${kind}`);
    }
  }
  return functions;
}

function functionNames(buf, section) {
  let [, pos] = string(buf, section.bodyStart);
  const names = new Map();
  while (pos < section.end) {
    const sub = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    if (sub === 1) {
      let [count, p] = leb(buf, start);
      for (let i = 0; i < count; i++) {
        let index, name;
        [index, p] = leb(buf, p);
        [name, p] = string(buf, p);
        names.set(index, name);
      }
    }
    pos = start + size;
  }
  return names;
}

const all = sections(wasm);
const isName = (s) => s.id === 0 && string(wasm, s.bodyStart)[0] === "name";
const nameSection = all.find(isName);
const codeSection = all.find((s) => s.id === 10);
if (!nameSection || !codeSection) {
  throw new Error(`${input} has no name or no code section`);
}
const importSection = all.find((s) => s.id === 2);
const firstLocal = importSection ? importedFunctions(wasm, importSection) : 0;
const names = functionNames(wasm, nameSection);

const stub = Buffer.from([0x03, 0x00, 0x00, 0x0b]); // size 3: no locals, unreachable, end
let [count, pos] = leb(wasm, codeSection.bodyStart);
const bodies = [encodeLeb(count)];
let snipped = 0, snippedBytes = 0;
for (let i = 0; i < count; i++) {
  const [size, start] = leb(wasm, pos);
  const name = names.get(firstLocal + i) ?? "";
  if (size >= minBytes && wanted.test(name)) {
    bodies.push(stub);
    snipped++;
    snippedBytes += size;
  } else {
    bodies.push(wasm.subarray(pos, start + size));
  }
  pos = start + size;
}
const code = Buffer.concat(bodies);
writeFileSync(
  output,
  Buffer.concat([
    wasm.subarray(0, codeSection.start),
    Buffer.from([10]),
    encodeLeb(code.length),
    code,
    wasm.subarray(codeSection.end),
  ]),
);
console.log(`snipped ${snipped} functions (${snippedBytes} bytes of code) matching ${pattern}`);
