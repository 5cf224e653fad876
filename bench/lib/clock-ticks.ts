import { execFileSync } from 'node:child_process';

let ticks: number | undefined;

/** Clock ticks per second, the unit of /proc/<pid>/stat CPU times (100 on nearly every Linux). */
export function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}
