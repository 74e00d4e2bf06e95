import { spawn, type ChildProcess } from 'node:child_process';

export interface VirtualDisplay {
  /** ":N", for DISPLAY. */
  display: string;
  stop(): Promise<void>;
}

/**
 * Starts Xvfb on a display it picks itself (-displayfd writes the number it took once it is
 * listening), so parallel runs and a desktop's own :0 never collide and no sleep is needed.
 */
export function startXvfb(width = 1280, height = 1024): Promise<VirtualDisplay> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-nolisten', 'unix-abstract'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let number = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code} before it was ready: ${stderr.trim().split('\n').pop()}`)));
    const fd = child.stdio[3] as NodeJS.ReadableStream;
    fd.on('data', (d: Buffer) => {
      number += d.toString();
      if (!number.includes('\n')) return;
      child.removeAllListeners('exit');
      // If the test process ends without stop() (a killed run), take the display with it: the
      // browsers drawing on it exit when their X connection goes.
      const orphanGuard = () => child.kill('SIGTERM');
      process.once('exit', orphanGuard);
      resolve({
        display: `:${number.trim()}`,
        stop: () =>
          new Promise<void>((done) => {
            process.removeListener('exit', orphanGuard);
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
