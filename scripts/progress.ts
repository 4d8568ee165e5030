// Progress on stderr: a bar on a terminal, a line every few steps elsewhere (CI logs stay short).
import cliProgress from 'cli-progress';

export interface Progress {
  tick(label: string): void;
  stop(): void;
}

export function progress(total: number, what: string): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${what} [{bar}] {value}/{total} {label}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { label: '' });
    return { tick: (label) => bar.increment(1, { label }), stop: () => bar.stop() };
  }
  let done = 0;
  const every = Math.max(1, Math.ceil(total / 10));
  return {
    tick(label) {
      done++;
      if (done % every === 0 || done === total) process.stderr.write(`${what} ${done}/${total} ${label}\n`);
    },
    stop() {},
  };
}
