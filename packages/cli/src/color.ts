/**
 * Colour only for people: a terminal, no NO_COLOR (https://no-color.org: any non-empty
 * value), not TERM=dumb; FORCE_COLOR (non-empty, not 0) turns it on anyway.
 */
export function colorEnabled(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean((stream as { isTTY?: boolean }).isTTY) && env.TERM !== 'dumb';
}

export interface Paint {
  bold(text: string): string;
  red(text: string): string;
  dim(text: string): string;
}

const plain: Paint = { bold: (t) => t, red: (t) => t, dim: (t) => t };
const ansi: Paint = {
  bold: (t) => `\x1b[1m${t}\x1b[22m`,
  red: (t) => `\x1b[31m${t}\x1b[39m`,
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
};

export function paint(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): Paint {
  return colorEnabled(stream, env) ? ansi : plain;
}
