#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. bench/ingest/run.mjs --cpu-prof DIR)
// as shares of the busy (non-idle) samples:
// - top functions by self time;
// - by caller: self time charged to the nearest package or workspace file on the stack, so the
//   Buffer, zlib and socket work node does for kafkajs counts as kafkajs (GC stays apart);
// - with --inclusive, top functions by total time (self + callees).
//
//   node bench/ingest/profile-top.mjs <file.cpuprofile> [--top 25] [--inclusive]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, inclusive: { type: 'boolean' } },
});
const top = Number(values.top);
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i += 1) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

const IDLE = new Set(['(idle)', '(program)']);
const shortUrl = (url) => url.replace(/^.*\/(node_modules|apps|libs)\//, '$1/');
const label = ({ callFrame }) =>
  `${callFrame.functionName || '(anonymous)'} ${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}`;

/** npm package (`kafkajs`, `@opentelemetry/api`) or workspace file; undefined for node's own. */
function owner(url) {
  if (!url || url.startsWith('node:')) return undefined;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const workspace = /\/(apps|libs)\/([^/]+)\/dist\/(.*)\.js$/.exec(url);
  return workspace ? `${workspace[1]}/${workspace[2]}: ${workspace[3]}` : url;
}

let busy = 0;
let idle = 0;
const frames = new Map();
const callers = new Map();
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  const name = node.callFrame.functionName;
  if (IDLE.has(name)) {
    idle += us;
    continue;
  }
  busy += us;
  add(frames, label(node), us);
  let caller = name === '(garbage collector)' ? '(garbage collector)' : undefined;
  for (let at = id; caller === undefined && at !== undefined; at = parent.get(at)) {
    caller = owner(byId.get(at).callFrame.url);
  }
  add(callers, caller ?? '(node, no JS caller)', us);
}

const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
const print = (title, map) => {
  console.log(`\n${title}:`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${pct(us)}  ${name}`);
  }
};
console.log(`busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s (% of busy)`);
print('top functions (self time)', frames);
print('by caller (self time charged to the nearest package on the stack)', callers);

if (values.inclusive) {
  const total = new Map();
  for (const [id, us] of selfUs) {
    if (IDLE.has(byId.get(id).callFrame.functionName)) continue;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(label(byId.get(at)));
    for (const name of seen) add(total, name, us);
  }
  print('top functions (total time)', total);
}
