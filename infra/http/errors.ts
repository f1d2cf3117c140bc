// Every error an HTTP endpoint answers, with a stable code, in one place
// (the fastify lib/errors.js pattern). Bodies are always `{error, details}`.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly details: unknown,
  ) {
    super(typeof details === 'string' ? details : error);
  }
}

export const badRequest = (details: unknown) => new HttpError(400, 'SQA_E_BAD_REQUEST', details);
export const unauthorized = (details: string) => new HttpError(401, 'SQA_E_UNAUTHORIZED', details);
export const forbidden = (details: string) => new HttpError(403, 'SQA_E_FORBIDDEN', details);
export const notFound = (details: string) => new HttpError(404, 'SQA_E_NOT_FOUND', details);
export const unavailable = (details: string) => new HttpError(503, 'SQA_E_UNAVAILABLE', details);
