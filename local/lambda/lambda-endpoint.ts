/**
 * The Lambda Invoke REST API over the twin's Lambda host
 * (`POST /2015-03-31/functions/{name}/invocations`, `X-Amz-Function-Error: Unhandled` on errors),
 * so `aws lambda invoke` works and an external Step Functions Local can call the project's handlers.
 */
import { createServer, type Server } from 'node:http';
import { restJsonListener } from '../http/rest-json-exchange';
import type { LambdaHost } from './lambda-host';

const MAX_REQUEST_BYTES = 6_291_456;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

export function createLambdaServer(host: LambdaHost): Server {
  return createServer(
    restJsonListener(({ method, path, body }, reply) => {
      const error = (status: number, type: string, message: string) =>
        reply(status, { Type: 'User', message }, { 'x-amzn-errortype': type });
      const match = INVOKE_PATH.exec(path);
      if (method !== 'POST' || !match) return error(404, 'UnknownOperationException', 'Only Invoke is supported');
      const name = decodeURIComponent(match[1]!);
      if (!host.resolveName(name)) return error(404, 'ResourceNotFoundException', `Function not found: ${name}`);
      // A synchronous invocation's request may be 6 MB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
      if (body.length > MAX_REQUEST_BYTES)
        return error(
          413,
          'RequestEntityTooLargeException',
          `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
        );
      const text = body.toString('utf8');
      let event: unknown = {};
      try {
        event = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        return error(400, 'InvalidRequestContentException', 'Could not parse request body into json');
      }
      void host.invoke(name, event).then(
        (result) => {
          if (result.ok) reply(200, result.payload, { 'x-amz-executed-version': '$LATEST' });
          else reply(200, result.error, { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' });
        },
        // The host answers every failure of the function itself; anything else is the service's (500), never silence.
        () => reply(500, { Type: 'Service', message: 'An internal error occurred' }, { 'x-amzn-errortype': 'ServiceException' }),
      );
    }),
  );
}
