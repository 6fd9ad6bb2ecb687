export {
  type RecordedRequest,
  type Route,
  type RouteSpec,
  type TestServer,
  type TestServerOptions,
  startTestServer,
} from './http-server.ts';
export {
  type GenFeed,
  type GenItem,
  type GenPage,
  type ImageFormat,
  articlePage,
  atom,
  esc,
  image,
  jsonFeed,
  paragraphs,
  rss,
  seeded,
} from './generate.ts';
export {
  type ReceivedMessage,
  type SmtpFaults,
  type SmtpReply,
  type TestSmtpOptions,
  type TestSmtpServer,
  selfSignedCert,
  startSmtpServer,
} from './smtp-server.ts';
export { corpusDir, requireTool } from './env.ts';
