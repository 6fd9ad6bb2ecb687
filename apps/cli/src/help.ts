import pkg from '../package.json' with { type: 'json' };

const SELECTION = `  -f, --feeds FILE        feeds file (default: $N2K_FEEDS, else ./feeds.txt, else the bundled examples)
      --since AGE         window for feeds not delivered before: 90m, 24h (default), 2d, 1w
      --max-per-feed N    at most N articles from each feed
      --full-text MODE    fetch the full article page: auto (summaries only), always, never
      --device NAME       scale images for: kindle, paperwhite, oasis, scribe, colorsoft, legacy
      --format FORMAT     epub (default), azw3 or mobi (azw3 and mobi need calibre's ebook-convert)
      --no-images         leave images out (a smaller book)`;

const TOPICS: Record<string, string> = {
  '': `news2kindle ${pkg.version} — your news feeds, delivered to your Kindle as an e-book

Usage: news2kindle <command> [options]

Commands:
  send            fetch the feeds, build the book and deliver it (the daily job)
  build           build the book only: no mail, no state change
  feeds check     fetch every feed and report status, items, encoding and problems
  feeds import    convert an OPML file (from a feed reader) into feeds.txt
  feeds export    convert feeds.txt into OPML
  doctor [DIR]    check configuration, mail server, converters, state and deployment files

Options:
  -h, --help      show help (also: news2kindle <command> --help)
  -v, --version   show the version

Examples:
  news2kindle send                          deliver ./feeds.txt (or the bundled examples) to ./outbox
  SMTP_URL=smtps://me:secret@mail.example.org KINDLE_EMAIL=me@kindle.com news2kindle send
  news2kindle build --feeds feeds.txt --out today.epub
  news2kindle feeds check --feeds feeds.txt

Exit codes: 0 delivered or nothing new, 1 failed, 2 bad configuration or usage,
3 delivered but some feeds failed. See the README for the environment variables.
`,
  send: `Usage: news2kindle send [options]

Fetches the feeds, builds the book with the articles not delivered yet, mails it to your Kindle
and records what was sent (only after the mail server accepted it). With no SMTP server
configured the book goes to the outbox folder as an .eml message with the .epub beside it.

Options:
${SELECTION}
  -n, --dry-run           build and report, but send and record nothing
      --outbox DIR        outbox folder when no SMTP server is set (default: $N2K_OUTBOX, else ./outbox)
      --data-dir DIR      where the file store keeps state (default: $N2K_DATA_DIR, else .news2kindle beside the feeds file)
      --json              print the delivery report as JSON on stdout
  -h, --help              show this help

Environment: SMTP_URL or EMAIL_SMTP/EMAIL_SMTP_PORT/EMAIL_USER/EMAIL_PASSWORD, EMAIL_FROM,
KINDLE_EMAIL, DATABASE_URL, UPDATE_PERIOD, N2K_* (see the README). Flags win over the environment.

Examples:
  news2kindle send
  news2kindle send --feeds ~/news/feeds.txt --since 12h --max-per-feed 10
  news2kindle send --dry-run --json > report.json
  SMTP_URL=smtp://user:pass@smtp.example.org:587 KINDLE_EMAIL=me@kindle.com news2kindle send

Exit codes: 0 delivered or nothing new, 1 failed or every feed failed (nothing recorded),
2 bad configuration or usage, 3 delivered but some feeds failed, 130/143 interrupted.
`,
  build: `Usage: news2kindle build --out FILE [options]

Builds the book from the feeds and writes it to FILE. Sends no mail and changes no state, so it
is safe to run as often as you like.

Options:
  -o, --out FILE          where to write the book (required)
${SELECTION}
      --json              print the build report as JSON on stdout
  -h, --help              show this help

Examples:
  news2kindle build --out today.epub
  news2kindle build --feeds feeds.txt --out week.epub --since 1w --max-per-feed 5 --no-images
  news2kindle build --out today.azw3 --format azw3 --device scribe
`,
  feeds: `Usage: news2kindle feeds <check|import|export> [options]

  feeds check [--feeds FILE] [--json]      fetch every feed, report status, items, encoding, problems
  feeds import FILE.opml [--out FILE]      OPML (from a feed reader) → feeds.txt (stdout unless --out)
  feeds export [--feeds FILE] [--out FILE] feeds.txt → OPML (stdout unless --out)

Examples:
  news2kindle feeds check
  news2kindle feeds import subscriptions.opml --out feeds.txt
  news2kindle feeds export > subscriptions.opml
`,
  'feeds check': `Usage: news2kindle feeds check [--feeds FILE] [--json]

Fetches every feed of the feeds file and reports, per feed: status, number of items, the text
encoding it used, and problems. Records nothing. Exits 1 when a feed fails.

Examples:
  news2kindle feeds check
  news2kindle feeds check --feeds feeds.txt --json
`,
  'feeds import': `Usage: news2kindle feeds import FILE.opml [--out FILE]

Reads an OPML subscription list (every feed reader exports one) and writes it as feeds.txt, one
feed per line with its title. Prints to stdout unless --out is given.

Examples:
  news2kindle feeds import subscriptions.opml > feeds.txt
  news2kindle feeds import subscriptions.opml --out feeds.txt
`,
  'feeds export': `Usage: news2kindle feeds export [--feeds FILE] [--out FILE]

Writes the feeds file as OPML 2.0, for importing into a feed reader. Prints to stdout unless
--out is given.

Examples:
  news2kindle feeds export > subscriptions.opml
  news2kindle feeds export --feeds feeds.txt --out subscriptions.opml
`,
  doctor: `Usage: news2kindle doctor [DIR] [--feeds FILE] [--json]

Checks, without sending anything: the configuration, the feeds file, the mail server (connects
and logs in), the e-book converters, the state store, and the Heroku deployment files in DIR
(default: the current folder). Exits 1 when it finds a problem, 2 when the configuration is invalid.

Examples:
  news2kindle doctor
  news2kindle doctor apps/heroku --json
`,
};

/** The help text of a command (`''` for the overview); undefined for an unknown topic. */
export function helpText(topic = ''): string | undefined {
  return TOPICS[topic.trim()];
}
