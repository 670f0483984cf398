#!/usr/bin/env node
// Compile contracts/src/**/*.sol offline with solc-js (Standard JSON) and write
// one deterministic artifact per deployable contract to
// src/rexos/contracts/artifacts/<ContractName>.json. Third-party contracts whose
// pragma our solc cannot compile (PREBUILT) are copied from the compiled artifacts
// their pinned npm packages publish, with their origin in the artifact and their
// licence in artifacts/NOTICE.
//
//   node build.js           write the artifacts (and delete stale ones)
//   node build.js --check   write nothing; exit 1 listing every artifact that
//                           is missing, differs or is extra
"use strict";

const fs = require("fs");
const path = require("path");
const solc = require("solc");

const ROOT = __dirname;
const SRC_DIR = path.join(ROOT, "src");
const NODE_MODULES = path.join(ROOT, "node_modules");
const OUT_DIR = path.resolve(ROOT, "..", "src", "rexos", "contracts", "artifacts");

const LOCKFILE = path.join(ROOT, "package-lock.json");
const NOTICE = "NOTICE";

const OPTIMIZER_RUNS = 10000;
const EVM_VERSION = "cancun";

/**
 * Contracts taken as published bytecode: the ENS registry and resolver (pragmas ^0.5 and
 * ^0.7), and the Uniswap V3 factory, pool and QuoterV2 (=0.7.6), which solc 0.8 refuses.
 * `file` is the package's own compiled artifact (truffle or Hardhat layout).
 */
const PREBUILT = [
  { pkg: "@ensdomains/ens", file: "build/contracts/ENSRegistry.json" },
  { pkg: "@ensdomains/resolver", file: "build/contracts/PublicResolver.json" },
  { pkg: "@uniswap/v3-core", file: "artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json" },
  { pkg: "@uniswap/v3-core", file: "artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json" },
  { pkg: "@uniswap/v3-periphery", file: "artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json" },
];

/** Every .sol file under dir, as sorted POSIX paths relative to ROOT. */
function findSources(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findSources(full));
    else if (entry.isFile() && entry.name.endsWith(".sol")) {
      found.push(path.relative(ROOT, full).split(path.sep).join("/"));
    }
  }
  return found.sort();
}

/** solc import callback: `@scope/pkg/...` from node_modules, anything else from ROOT. */
function resolveImport(importPath) {
  const parts = importPath.split("/");
  if (path.isAbsolute(importPath) || parts.includes("..")) {
    return { error: `refusing import outside the project: ${importPath}` };
  }
  const base = importPath.startsWith("@") ? NODE_MODULES : ROOT;
  const file = path.join(base, ...parts);
  if (!fs.existsSync(file)) return { error: `file not found: ${importPath}` };
  return { contents: fs.readFileSync(file, "utf8") };
}

function compile(sourceNames) {
  const sources = {};
  for (const name of sourceNames) {
    sources[name] = { content: fs.readFileSync(path.join(ROOT, name), "utf8") };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
      evmVersion: EVM_VERSION,
      metadata: { bytecodeHash: "none" },
      outputSelection: {
        "*": {
          "": ["ast"],
          "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"],
        },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: resolveImport }));
  const diagnostics = output.errors || [];
  for (const d of diagnostics.filter((d) => d.severity !== "error")) {
    console.warn(d.formattedMessage.trimEnd());
  }
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    for (const e of errors) console.error(e.formattedMessage.trimEnd());
    throw new Error(`solc reported ${errors.length} error(s)`);
  }
  return output;
}

/** Names of the deployable (non-abstract, non-interface, non-library) contracts of a source unit. */
function deployableContracts(ast) {
  return ast.nodes
    .filter((n) => n.nodeType === "ContractDefinition" && n.contractKind === "contract" && !n.abstract)
    .map((n) => n.name);
}

/** JSON with recursively sorted keys, 2-space indent and a trailing newline. */
function stableStringify(value) {
  const sortKeys = (v) => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortKeys(v[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** `0x` + an even number of hex digits, at least one byte; no unlinked library placeholders. */
function checkedCode(code, what) {
  if (typeof code !== "string" || !/^0x([0-9a-f]{2})+$/.test(code)) {
    throw new Error(`${what} is not plain lowercase hex bytecode (unlinked or missing?)`);
  }
  return code;
}

/** The artifact of one PREBUILT entry and its NOTICE paragraph; the installed package must be
 *  the version package.json pins and package-lock.json records. */
function prebuiltArtifact({ pkg, file }, pins, lock) {
  const pkgDir = path.join(NODE_MODULES, ...pkg.split("/"));
  if (!fs.existsSync(pkgDir)) throw new Error(`${pkg} is not installed: run npm install`);
  const meta = readJson(path.join(pkgDir, "package.json"));
  const locked = lock.packages[`node_modules/${pkg}`];
  if (meta.version !== pins[pkg] || !locked || locked.version !== meta.version) {
    throw new Error(`${pkg} ${meta.version} is installed, package.json pins ${pins[pkg]}: run npm install`);
  }
  const licenseFile = path.join(pkgDir, "LICENSE");
  if (!fs.existsSync(licenseFile)) throw new Error(`${pkg} ships no LICENSE file`);
  const licenseText = fs.readFileSync(licenseFile, "utf8").replace(/\r\n/g, "\n").trim();
  const published = readJson(path.join(pkgDir, ...file.split("/")));
  const contractName = path.basename(file, ".json");
  if (published.contractName !== contractName) {
    throw new Error(`${pkg}/${file} holds ${published.contractName}, not ${contractName}`);
  }
  // A truffle artifact records its compiler; a Hardhat one ("hh-sol-artifact-1") does not.
  let compiler = null;
  if (published.metadata) {
    const settings = JSON.parse(published.metadata).settings;
    compiler = {
      version: published.compiler.version,
      optimizerRuns: settings.optimizer.enabled ? settings.optimizer.runs : null,
      evmVersion: settings.evmVersion,
    };
  } else if (published._format !== "hh-sol-artifact-1") {
    throw new Error(`${pkg}/${file} is neither a truffle nor a Hardhat artifact`);
  }
  const origin = {
    package: pkg,
    version: meta.version,
    file,
    integrity: locked.integrity,
    declaredLicense: meta.license || null,
    licenseFile: licenseText.split("\n")[0],
  };
  const artifact = {
    contractName,
    sourceName: `${pkg}/${file}`,
    abi: published.abi,
    bytecode: checkedCode(published.bytecode, `${pkg}/${file} bytecode`),
    deployedBytecode: checkedCode(published.deployedBytecode, `${pkg}/${file} deployedBytecode`),
    compiler,
    origin,
  };
  const declared = origin.declaredLicense ? `; its package.json declares ${origin.declaredLicense}` : "";
  const notice = [
    `${contractName}.json`,
    `  from the npm package ${pkg} ${meta.version} (${locked.integrity}),`,
    compiler
      ? `  file ${file}, compiled by its authors with solc ${compiler.version}${declared}.`
      : `  file ${file}, compiled by its authors (a Hardhat artifact: no compiler recorded)${declared}.`,
    `  Its LICENSE file reads:`,
    "",
    ...licenseText.split("\n").map((line) => (line ? `    ${line}` : "")),
  ].join("\n");
  return { contractName, artifact, notice };
}

function noticeText(paragraphs) {
  const head = [
    "Third-party contract bytecode in this folder",
    "",
    "The artifacts named below are not compiled from RexOS sources: contracts/build.js copies",
    "their ABI and bytecode from the compiled artifacts that the named npm packages publish",
    "(pinned in contracts/package.json). Their licences follow.",
  ].join("\n");
  return [head, ...paragraphs].join("\n\n") + "\n";
}

function buildArtifacts() {
  const sourceNames = findSources(SRC_DIR);
  if (sourceNames.length === 0) throw new Error(`no .sol files under ${SRC_DIR}`);
  const output = compile(sourceNames);
  const artifacts = new Map();
  for (const sourceName of sourceNames) {
    for (const contractName of deployableContracts(output.sources[sourceName].ast)) {
      if (artifacts.has(`${contractName}.json`)) {
        throw new Error(`two contracts named ${contractName}; artifact names must be unique`);
      }
      const compiled = output.contracts[sourceName][contractName];
      const artifact = {
        contractName,
        sourceName,
        abi: compiled.abi,
        bytecode: "0x" + compiled.evm.bytecode.object,
        deployedBytecode: "0x" + compiled.evm.deployedBytecode.object,
        compiler: { version: solc.version(), optimizerRuns: OPTIMIZER_RUNS, evmVersion: EVM_VERSION },
      };
      artifacts.set(`${contractName}.json`, stableStringify(artifact));
    }
  }
  const pins = readJson(path.join(ROOT, "package.json")).dependencies;
  const lock = readJson(LOCKFILE);
  const notices = [];
  for (const entry of PREBUILT) {
    const { contractName, artifact, notice } = prebuiltArtifact(entry, pins, lock);
    if (artifacts.has(`${contractName}.json`)) {
      throw new Error(`two contracts named ${contractName}; artifact names must be unique`);
    }
    artifacts.set(`${contractName}.json`, stableStringify(artifact));
    notices.push(notice);
  }
  if (notices.length > 0) artifacts.set(NOTICE, noticeText(notices));
  return artifacts;
}

function existingArtifacts() {
  if (!fs.existsSync(OUT_DIR)) return [];
  return fs
    .readdirSync(OUT_DIR)
    .filter((f) => f.endsWith(".json") || f === NOTICE)
    .sort();
}

function check(artifacts) {
  const drift = [];
  for (const [file, text] of artifacts) {
    const target = path.join(OUT_DIR, file);
    if (!fs.existsSync(target)) drift.push(`missing: ${file}`);
    else if (fs.readFileSync(target, "utf8") !== text) drift.push(`differs: ${file}`);
  }
  for (const file of existingArtifacts()) {
    if (!artifacts.has(file)) drift.push(`extra:   ${file}`);
  }
  if (drift.length > 0) {
    console.error(`${drift.length} artifact(s) out of date in ${path.relative(path.dirname(ROOT), OUT_DIR)}:`);
    for (const line of drift) console.error(`  ${line}`);
    console.error("run `node contracts/build.js` and commit the result");
    return 1;
  }
  console.log(`${artifacts.size} artifact(s) up to date`);
  return 0;
}

function write(artifacts) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const file of existingArtifacts()) {
    if (!artifacts.has(file)) {
      fs.unlinkSync(path.join(OUT_DIR, file));
      console.log(`removed stale ${file}`);
    }
  }
  for (const [file, text] of artifacts) {
    fs.writeFileSync(path.join(OUT_DIR, file), text);
    console.log(`wrote ${file}`);
  }
  return 0;
}

function main(argv) {
  const args = argv.slice(2);
  const unknown = args.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`usage: node build.js [--check] (unknown: ${unknown.join(" ")})`);
    return 2;
  }
  const artifacts = buildArtifacts();
  return args.includes("--check") ? check(artifacts) : write(artifacts);
}

try {
  process.exitCode = main(process.argv);
} catch (err) {
  console.error(`build.js: ${err.message}`);
  process.exitCode = 1;
}
