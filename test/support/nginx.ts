/**
 * Runs Debian's nginx with the repository's own nginx.conf (the Docker image's server block),
 * so the e2e tests check the headers the image would send, not a copy of them. Only `listen`
 * and `root` are rewritten: a free loopback port and the test's dist/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BINARIES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'];
export const NGINX_FIX = 'No nginx found for the Docker configuration test. Fix: apt-get install nginx';

export function findNginx(): string | undefined {
  return BINARIES.find((p) => existsSync(p));
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

export async function startNginx(distDir: string, confPath = resolve('nginx.conf')): Promise<RunningNginx> {
  const binary = findNginx();
  if (!binary) throw new Error(NGINX_FIX);
  const port = await freePort();
  const prefix = mkdtempSync(join(tmpdir(), 'latentlens-nginx-'));
  // nginx's workers drop to an unprivileged user when started as root: let them read the build.
  chmodSync(distDir, 0o755);
  const server = readFileSync(confPath, 'utf8')
    .replace(/listen\s+80;/, `listen 127.0.0.1:${port};`)
    .replace(/root\s+[^;]+;/, `root ${distDir};`);
  writeFileSync(join(prefix, 'server.conf'), server);
  const mimeTypes = ['/etc/nginx/mime.types'].find((p) => existsSync(p));
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      mimeTypes ? `  include ${mimeTypes};` : '',
      '  default_type application/octet-stream;',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t};`),
      `  include ${prefix}/server.conf;`,
      '}',
    ].join('\n'),
  );
  const syntax = spawnSync(binary, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { encoding: 'utf8' });
  if (syntax.status !== 0) throw new Error(`nginx refused nginx.conf:\n${syntax.stderr}`);
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((r) => child.once('exit', r));
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
