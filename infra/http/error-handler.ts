// One error handler for every fastify app: known errors answer `{error, details}`
// with their status; fastify's own 4xx keep their status; anything else is a 500
// logged once here with its context.
import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'SQA_E_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SQA_E_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'SQA_E_BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'SQA_E_BAD_REQUEST',
  FST_ERR_VALIDATION: 'SQA_E_BAD_REQUEST',
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) {
      return reply.status(err.statusCode).send({ error: err.error, details: err.details });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = (err.code && FASTIFY_CODES[err.code]) || (status === 429 ? 'SQA_E_RATE_LIMITED' : 'SQA_E_BAD_REQUEST');
      return reply.status(status).send({ error: code, details: err.message });
    }
    req.log.error({ err, url: req.url, method: req.method }, 'request failed');
    return reply.status(500).send({ error: 'SQA_E_INTERNAL', details: 'internal error; see the server log' });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: 'SQA_E_NOT_FOUND', details: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );
}
