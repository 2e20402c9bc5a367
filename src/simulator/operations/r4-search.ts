// Query-string rules shared by the R4 searches (A030, A035, A040, A041): 400 REC_BAD_REQUEST naming the parameter,
// with the issue type the catalogue gives the operation's 400 (A035, A040: invalid; A041: required).
import { ErsError, type IssueType } from '../errors.ts';

export function badRequest(issueType: IssueType, diagnostics: string): ErsError {
  return new ErsError(400, issueType, 'INVALID_VALUE', diagnostics);
}

/** Parameters the operation does not document are refused rather than silently ignored (a search would widen). */
export function rejectUnknownSearchParameters(query: URLSearchParams, allowed: readonly string[], issueType: IssueType = 'invalid'): void {
  const unknown = [...new Set([...query.keys()].filter((k) => !allowed.includes(k)))];
  if (unknown.length) {
    throw badRequest(issueType, `Unsupported search parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; this search takes ${allowed.length ? allowed.join(', ') : 'no parameters'}`);
  }
}

/** The single value of a required parameter; missing, empty or repeated is a 400. */
export function singleParameter(query: URLSearchParams, name: string, hint: string, issueType?: IssueType): string {
  const values = query.getAll(name);
  if (values.length === 0 || (values.length === 1 && values[0]!.trim() === '')) throw badRequest(issueType ?? 'required', `${name}: the ${name} search parameter is required (${hint})`);
  if (values.length > 1) throw badRequest(issueType ?? 'invalid', `${name}: give ${name} once (${hint}), not ${values.length} times`);
  return values[0]!.trim();
}
