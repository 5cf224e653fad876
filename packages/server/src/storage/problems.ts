import type { Problem } from '@ensign/core';

/** `file:line: message`, the form editors and CI annotate from. */
export function formatProblem(problem: Pick<Problem, 'file' | 'line' | 'message'>): string {
  return problem.line > 0
    ? `${problem.file}:${problem.line}: ${problem.message}`
    : `${problem.file}: ${problem.message}`;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(formatProblem).join('\n');
}
