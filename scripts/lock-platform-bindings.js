#!/usr/bin/env node
/**
 * Our npm registry carries only the linux builds of some native packages (unrs-resolver's bindings, used by jest 30).
 * npm then writes a package-lock.json without the other platforms' optional bindings, and `npm ci` rejects that
 * lock ("Missing: @unrs/resolver-binding-darwin-arm64@ from lock file"). This script records every binding a locked
 * package lists as optional but the lock lacks, with the os/cpu/libc npm uses to skip it on other platforms, so
 * `npm ci` validates the lock and installs only what this platform needs. Run it after any `npm install` that
 * rewrites the lock: `node scripts/lock-platform-bindings.js` (`--check` only reports, exit 1 when entries are missing).
 */
const fs = require('fs');
const path = require('path');

const LOCK = path.join(__dirname, '..', 'package-lock.json');
/** Platform of a binding from its name suffix, as the packages themselves declare it in their package.json. */
function platformOf(suffix) {
  const m = /^(android|darwin|freebsd|linux|openharmony|win32)-(arm|arm64|ia32|x64|loong64|ppc64|riscv64|s390x)(?:-(gnu|gnueabihf|musl|musleabihf|msvc|eabi))?$/.exec(suffix);
  if (!m) return undefined;
  const [, os, cpu, abi] = m;
  const libc = abi === 'gnu' || abi === 'gnueabihf' ? ['glibc'] : abi === 'musl' || abi === 'musleabihf' ? ['musl'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8'));
const added = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `node_modules/${name}`;
    if (lock.packages[at]) continue;
    const scope = /^@unrs\/resolver-binding-(.+)$/.exec(name);
    const platform = scope && platformOf(scope[1]);
    if (!platform) {
      console.error(`${key}: optional ${name}@${version} is not in the lock and is not a known platform binding`);
      process.exitCode = 1;
      continue;
    }
    lock.packages[at] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added.push(`${name}@${version}`);
  }
}
if (process.argv.includes('--check')) {
  if (added.length) {
    console.error(`package-lock.json lacks ${added.length} platform binding(s): run node scripts/lock-platform-bindings.js`);
    process.exitCode = 1;
  }
} else if (added.length) {
  const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  lock.packages = sorted;
  fs.writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
  console.log(`recorded ${added.length} platform binding(s) in package-lock.json`);
}
