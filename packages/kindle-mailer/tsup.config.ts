import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.ts';

// Code splitting keeps one copy of MailerError shared by every entry, so `instanceof` holds
// across `@news2kindle/kindle-mailer` and its `/smtp`, `/outbox` and `/testing` paths.
export default defineConfig(
  sharedTsup(
    { index: 'src/index.ts', smtp: 'src/smtp.ts', outbox: 'src/outbox.ts', testing: 'src/testing.ts' },
    { splitting: true },
  ),
);
