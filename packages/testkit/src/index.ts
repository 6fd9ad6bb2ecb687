export {
  type RecordedRequest,
  type Route,
  type RouteSpec,
  type TestServer,
  type TestServerOptions,
  startTestServer,
} from './http-server.js';
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
} from './generate.js';
export {
  type ReceivedMessage,
  type SmtpFaults,
  type SmtpReply,
  type TestSmtpOptions,
  type TestSmtpServer,
  selfSignedCert,
  startSmtpServer,
} from './smtp-server.js';
export { corpusDir, requireTool } from './env.js';
